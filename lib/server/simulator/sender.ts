// Sends simulated events to /v1/events the way a well-made client should: NDJSON batches,
// gzip, an Idempotency-Key on every batch (the same key on each retry, so a retry after a
// lost answer is not stored twice), and exponential backoff with full jitter on 429, 503,
// other 5xx and network errors, never sooner than the server's Retry-After. Other 4xx
// answers are not retried: they will not change. Node's fetch and zlib; no server code.
import 'server-only';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { SimEvent } from '@/lib/sim/tx-builder';

const gzipAsync = promisify(gzip);

export interface SenderOptions {
  /** Base URL of txdrift, e.g. http://127.0.0.1:3000. */
  url: string;
  token?: string;
  /** Prefix of the batches' idempotency keys; unique per run. */
  keyPrefix: string;
  /** Attempts per batch before giving up; default 8. */
  maxAttempts?: number;
  /** First backoff and its ceiling, ms; defaults 250 and 15 000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per-request timeout, ms; default 30 000. */
  timeoutMs?: number;
  gzip?: boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (info: { attempt: number; status: number | string; waitMs: number }) => void;
}

export interface SenderStats {
  batches: number;
  events: number;
  accepted: number;
  rejected: number;
  retries: number;
  /** Answers the server replayed for a key it had already stored (Idempotent-Replayed). */
  replayed: number;
  /** Retries by cause: HTTP status or "network". */
  retriedOn: Record<string, number>;
  bytesSent: number;
}

/** A batch the server refused for good (bad token, a malformed body …) or kept failing. */
export class SendError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'SendError';
  }
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

export class IngestSender {
  readonly stats: SenderStats = { batches: 0, events: 0, accepted: 0, rejected: 0, retries: 0, replayed: 0, retriedOn: {}, bytesSent: 0 };
  private batchNo = 0;
  private readonly endpoint: string;

  constructor(private readonly o: SenderOptions) {
    this.endpoint = new URL('/v1/events', o.url).toString();
  }

  /** Sends one batch, retrying as needed; resolves once the server has stored it (2xx). */
  async send(events: SimEvent[]): Promise<void> {
    if (events.length === 0) return;
    const key = `${this.o.keyPrefix}-${++this.batchNo}`;
    const ndjson = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const body = this.o.gzip === false ? ndjson : await gzipAsync(ndjson);
    const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', 'idempotency-key': key };
    if (this.o.gzip !== false) headers['content-encoding'] = 'gzip';
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    const maxAttempts = this.o.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      let status: number | string;
      let retryAfterMs = 0;
      try {
        this.stats.bytesSent += body.length;
        const res = await fetch(this.endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000) });
        const text = await res.text();
        if (res.ok) return this.record(events.length, text, res.headers.get('idempotent-replayed') === 'true');
        status = res.status;
        if (!RETRYABLE.has(res.status)) throw new SendError(refusal(res.status, text, this.endpoint), res.status);
        retryAfterMs = retryAfter(res.headers.get('retry-after'));
      } catch (err) {
        if (err instanceof SendError) throw err;
        status = 'network';
        if (attempt >= maxAttempts) throw new SendError(`cannot reach ${this.endpoint}: ${(err as Error).message} (after ${attempt} attempts)`, null);
      }
      if (attempt >= maxAttempts) throw new SendError(`${this.endpoint} kept answering ${status}; gave up after ${attempt} attempts`, typeof status === 'number' ? status : null);
      const waitMs = Math.max(retryAfterMs, this.backoff(attempt));
      this.stats.retries++;
      this.stats.retriedOn[String(status)] = (this.stats.retriedOn[String(status)] ?? 0) + 1;
      this.o.onRetry?.({ attempt, status, waitMs });
      await (this.o.sleep ?? sleep)(waitMs);
    }
  }

  /** Full jitter: uniform in [0, min(cap, base · 2^(attempt−1))]. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.o.maxBackoffMs ?? 15_000, (this.o.backoffMs ?? 250) * 2 ** (attempt - 1));
    return Math.round((this.o.random ?? Math.random)() * ceiling);
  }

  private record(sent: number, text: string, replayed: boolean): void {
    this.stats.batches++;
    this.stats.events += sent;
    if (replayed) this.stats.replayed++;
    try {
      const body = JSON.parse(text) as { accepted?: number; rejected?: number };
      this.stats.accepted += body.accepted ?? 0;
      this.stats.rejected += body.rejected ?? 0;
    } catch {
      this.stats.accepted += sent;
    }
  }
}

/** Retry-After in seconds or as an HTTP date, in ms (0 when absent or unreadable). */
export function retryAfter(value: string | null, nowMs = Date.now()): number {
  if (!value) return 0;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - nowMs);
}

function refusal(status: number, text: string, endpoint: string): string {
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // not JSON: keep the text
  }
  const hint = status === 401 ? ' (pass the server’s INGEST_TOKEN with --token)' : status === 404 ? ' (is --url a txdrift server with ingest enabled?)' : '';
  return `${endpoint} refused a batch with ${status}: ${message}${hint}`;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
