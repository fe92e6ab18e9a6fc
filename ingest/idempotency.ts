// Idempotency-Key handling: a request repeated with the same key within 24 h gets the
// original answer and stores nothing. Recent answers live in memory (including those whose
// rows are still in the spool); older ones are looked up in ClickHouse (`ingest_requests`,
// 24 h TTL), so a restart or another ingest instance still recognises the key. The same key
// with a different body is refused.
import type { Db } from '@/lib/server/clickhouse/client';
import type { IdempotencyRecord } from './spool';

export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
const MAX_REMEMBERED = 100_000;

export class IdempotencyStore {
  private readonly recent = new Map<string, IdempotencyRecord>();
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly db: Db) {}

  remember(rec: IdempotencyRecord): void {
    this.recent.delete(rec.key);
    this.recent.set(rec.key, rec);
    if (this.recent.size > MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
  }

  async find(key: string, nowMs: number): Promise<IdempotencyRecord | null> {
    const mem = this.recent.get(key);
    if (mem) return nowMs - mem.atMs < IDEMPOTENCY_WINDOW_MS ? mem : null;
    const [row] = await this.db.query<{ body_sha256: string; response: string; at_ms: number | string }>(
      `SELECT body_sha256, response, toUnixTimestamp64Milli(created_at) AS at_ms
       FROM ingest_requests
       WHERE idempotency_key = {key:String} AND created_at > now64(3) - INTERVAL 1 DAY
       ORDER BY created_at LIMIT 1`,
      { key },
    );
    if (!row) return null;
    const rec = { key, sha256: row.body_sha256, response: row.response, atMs: Number(row.at_ms) };
    this.remember(rec);
    return rec;
  }

  /**
   * Runs `work` for a key no other request is working on; a concurrent request with the
   * same key waits for the first to finish and then finds its answer.
   */
  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    while (this.inflight.has(key)) await this.inflight.get(key);
    let done!: () => void;
    this.inflight.set(key, new Promise<void>((r) => (done = r)));
    try {
      return await work();
    } finally {
      this.inflight.delete(key);
      done();
    }
  }
}

export function isValidIdempotencyKey(key: string): boolean {
  return /^[\x21-\x7e]{1,255}$/.test(key);
}
