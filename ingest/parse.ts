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
  /** TabSeparated rows for the events table (EVENT_COLUMNS), one per accepted event. */
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
  let text: string | null = null;
  try {
    text = strictUtf8.decode(body);
  } catch {
    /* some line is not UTF-8: find which, line by line */
  }
  if (text !== null) parseLines(text, out);
  else parseLinesBytewise(body, out);
  return out.finish();
}

/** Fast path: the whole body is valid UTF-8. */
function parseLines(text: string, out: BatchBuilder): void {
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line += 1;
    // A UTF-16 unit is at most 3 UTF-8 bytes: only long lines need their bytes counted.
    const bytes = end - start > MAX_LINE_BYTES / 3 ? Buffer.byteLength(text.slice(start, end)) : 0;
    if (bytes > MAX_LINE_BYTES) out.rejectLongLine(line, bytes);
    else if (!isBlankText(text, start, end)) out.addJson(line, text.slice(start, end));
    start = end + 1;
  }
}

/** Slow path: decode each line on its own so one bad byte costs only its line. */
function parseLinesBytewise(body: Buffer, out: BatchBuilder): void {
  let start = 0;
  let line = 0;
  while (start < body.length) {
    let end = body.indexOf(NEWLINE, start);
    if (end === -1) end = body.length;
    line += 1;
    const bytes = end - start;
    if (bytes > MAX_LINE_BYTES) {
      out.rejectLongLine(line, bytes);
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
  private readonly receivedAtUs: number;

  constructor(private readonly opts: ParseOptions) {
    this.receivedAtUs = opts.nowMs * 1000;
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
    this.parts.push(rowTsv(checked.event, this.receivedAtUs, this.opts.requestId));
  }

  rejectLongLine(line: number, bytes: number): void {
    this.reject(line, { field: null, message: `line is ${bytes} bytes; the limit is ${MAX_LINE_BYTES} bytes (1 MiB)` });
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

/** Column order of `rowTsv`, for the INSERT's column list. */
export const EVENT_COLUMNS = [
  'ts', 'received_at', 'tx_id', 'event_id', 'service', 'operation', 'tx_type', 'state', 'status', 'seq',
  'idempotency_key', 'attempt', 'causation_id', 'trace_id', 'span_id', 'attributes', 'request_id',
] as const;

/**
 * One events-table row in TabSeparated, columns as EVENT_COLUMNS. TSV because ClickHouse
 * parses it several times faster than JSON, and both share two cores here. Times are
 * integer epoch microseconds, which ClickHouse reads as DateTime64(6) ticks exactly.
 */
export function rowTsv(e: NormalizedEvent, receivedAtUs: number, requestId: string): string {
  return (
    `${e.tsUs}\t${receivedAtUs}\t${tsv(e.tx_id)}\t${tsv(e.event_id)}\t${tsv(e.service)}\t${tsv(e.operation)}\t` +
    `${tsv(e.tx_type)}\t${tsv(e.state)}\t${e.status}\t${e.seq === null ? '\\N' : e.seq}\t${tsv(e.idempotency_key)}\t` +
    `${e.attempt}\t${tsv(e.causation_id)}\t${e.trace_id}\t${e.span_id}\t${tsvMap(e.attributes)}\t${tsv(requestId)}`
  );
}

const TSV_SPECIAL = /[\\\t\n\r\0]/;
const TSV_SPECIAL_ALL = /[\\\t\n\r\0]/g;
const QUOTED_SPECIAL = /[\\\t\n\r\0']/;
const QUOTED_SPECIAL_ALL = /[\\\t\n\r\0']/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', "'": "\\'" };
const escapeChar = (c: string) => ESCAPES[c]!;

/** A TSV field: backslash, tab, newline, CR and NUL escaped. */
export function tsv(s: string): string {
  return TSV_SPECIAL.test(s) ? s.replace(TSV_SPECIAL_ALL, escapeChar) : s;
}

/** A Map(String, String) in TSV: {'k':'v',…}, quotes and TSV specials escaped. */
function tsvMap(m: Record<string, string>): string {
  let out = '{';
  for (const k in m) {
    if (out.length > 1) out += ',';
    out += `'${quoted(k)}':'${quoted(m[k]!)}'`;
  }
  return `${out}}`;
}

function quoted(s: string): string {
  return QUOTED_SPECIAL.test(s) ? s.replace(QUOTED_SPECIAL_ALL, escapeChar) : s;
}

/** Epoch microseconds as ClickHouse's DateTime64(6) text: `2026-01-01 12:00:00.123456`. */
export function clickhouseTime(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // 2026-01-01T12:00:00.123Z
  const micros = String(Math.round(us - ms * 1000)).padStart(3, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${micros}`;
}

function isBlankText(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
