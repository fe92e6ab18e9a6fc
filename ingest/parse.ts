// Turns a decoded request body into stored rows and per-line problems. NDJSON lines and
// JSON array elements are numbered from 1. A bad line never spoils the good ones.
import { checkEvent, type FieldProblem, type NormalizedEvent } from '@/lib/domain/event';

export const MAX_LINE_BYTES = 1024 * 1024;
/** How many line problems a response lists; the counts stay exact. */
export const MAX_LISTED_PROBLEMS = 100;

export interface LineProblem extends FieldProblem {
  line: number;
}

export interface ParsedBatch {
  /** JSONEachRow rows for the events table, one per accepted event. */
  rows: Buffer;
  accepted: number;
  rejected: number;
  warnings: number;
  errors: LineProblem[];
  warningDetails: LineProblem[];
}

export interface ParseOptions {
  nowMs: number;
  maxAgeMs: number;
  requestId: string;
}

const NEWLINE = 0x0a;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function parseNdjson(body: Buffer, opts: ParseOptions): ParsedBatch {
  const out = new BatchBuilder(opts);
  let start = 0;
  let line = 0;
  while (start < body.length) {
    let end = body.indexOf(NEWLINE, start);
    if (end === -1) end = body.length;
    line += 1;
    const bytes = end - start;
    if (bytes > MAX_LINE_BYTES) {
      out.reject(line, { field: null, message: `line is ${bytes} bytes; the limit is ${MAX_LINE_BYTES} bytes (1 MiB)` });
    } else if (!isBlank(body, start, end)) {
      let text: string | null = null;
      try {
        text = strictUtf8.decode(body.subarray(start, end));
      } catch {
        out.reject(line, { field: null, message: 'not valid UTF-8' });
      }
      if (text !== null) out.addJson(line, text);
    }
    start = end + 1;
  }
  return out.finish();
}

export function parseJsonArray(body: Buffer, opts: ParseOptions): ParsedBatch | { fatal: string } {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    return { fatal: 'body is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { fatal: `body is not valid JSON: ${(err as Error).message}` };
  }
  const items = Array.isArray(value) ? value : [value];
  const out = new BatchBuilder(opts);
  items.forEach((item, i) => out.addValue(i + 1, item));
  return out.finish();
}

class BatchBuilder {
  private readonly parts: string[] = [];
  private accepted = 0;
  private rejected = 0;
  private warnings = 0;
  private readonly errors: LineProblem[] = [];
  private readonly warningDetails: LineProblem[] = [];
  private readonly receivedAt: string;

  constructor(private readonly opts: ParseOptions) {
    this.receivedAt = clickhouseTime(opts.nowMs * 1000);
  }

  addJson(line: number, text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.reject(line, { field: null, message: `not valid JSON: ${(err as Error).message}` });
      return;
    }
    this.addValue(line, value);
  }

  addValue(line: number, value: unknown): void {
    const checked = checkEvent(value, this.opts);
    if (!checked.ok) {
      this.reject(line, checked.problem);
      return;
    }
    for (const w of checked.warnings) {
      this.warnings += 1;
      if (this.warningDetails.length < MAX_LISTED_PROBLEMS) this.warningDetails.push({ line, ...w });
    }
    this.accepted += 1;
    this.parts.push(rowJson(checked.event, this.receivedAt, this.opts.requestId));
  }

  reject(line: number, problem: FieldProblem): void {
    this.rejected += 1;
    if (this.errors.length < MAX_LISTED_PROBLEMS) this.errors.push({ line, ...problem });
  }

  finish(): ParsedBatch {
    return {
      rows: Buffer.from(this.parts.length ? `${this.parts.join('\n')}\n` : '', 'utf8'),
      accepted: this.accepted,
      rejected: this.rejected,
      warnings: this.warnings,
      errors: this.errors,
      warningDetails: this.warningDetails,
    };
  }
}

/** One events-table row in JSONEachRow. */
export function rowJson(e: NormalizedEvent, receivedAt: string, requestId: string): string {
  return JSON.stringify({
    ts: clickhouseTime(e.tsUs),
    received_at: receivedAt,
    tx_id: e.tx_id,
    event_id: e.event_id,
    service: e.service,
    operation: e.operation,
    tx_type: e.tx_type,
    state: e.state,
    status: e.status,
    seq: e.seq,
    idempotency_key: e.idempotency_key,
    attempt: e.attempt,
    causation_id: e.causation_id,
    trace_id: e.trace_id,
    span_id: e.span_id,
    attributes: e.attributes,
    request_id: requestId,
  });
}

/** Epoch microseconds as ClickHouse's DateTime64(6) text: `2026-01-01 12:00:00.123456`. */
export function clickhouseTime(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // 2026-01-01T12:00:00.123Z
  const micros = String(Math.round(us - ms * 1000)).padStart(3, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${micros}`;
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
