// The ingest engine behind the HTTP routes: acknowledged frames go to the spool; a single
// flusher moves sealed spool segments into ClickHouse, one insert per segment (so small
// requests are batched together and a large one is never split), with the segment id as
// insert deduplication token: a segment re-sent after a crash or a failed attempt is
// stored once. A segment ClickHouse cannot parse is quarantined instead of blocking ingest.
import type { Db, InsertSettings } from '@/lib/server/clickhouse/client';
import { IdempotencyStore } from './idempotency';
import { EVENT_COLUMNS } from './parse';
import { createIngestMetrics, type IngestMetrics } from './metrics';
import { Spool, type Frame, type Segment } from './spool';

export interface IngestorOptions {
  spoolDir: string;
  /** Above this many acknowledged-but-unflushed bytes, new requests get 503. */
  maxBacklogBytes: number;
  segmentBytes?: number;
  segmentAgeMs?: number;
  log: { info: (o: object, msg: string) => void; error: (o: object, msg: string) => void };
}

export class Ingestor {
  readonly spool: Spool;
  readonly idempotency: IdempotencyStore;
  readonly metrics: IngestMetrics;
  private readonly pending: Segment[] = [];
  private wake: (() => void) | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;

  private constructor(private readonly db: Db, private readonly opts: IngestorOptions) {
    this.idempotency = new IdempotencyStore(db);
    this.spool = new Spool({
      dir: opts.spoolDir,
      segmentBytes: opts.segmentBytes,
      segmentAgeMs: opts.segmentAgeMs,
      onSealed: (s) => this.enqueue(s),
    });
    this.metrics = createIngestMetrics(() => ({ bytes: this.spool.backlogBytes, segments: this.spool.backlogSegments }));
  }

  /** Opens the spool, replays what a previous process acknowledged, and starts flushing. */
  static async start(db: Db, opts: IngestorOptions): Promise<Ingestor> {
    const ingestor = new Ingestor(db, opts);
    const leftovers = await ingestor.spool.open();
    for (const seg of leftovers) {
      for (const f of seg.frames) if (f.idempotency) ingestor.idempotency.remember(f.idempotency);
      ingestor.enqueue(seg);
    }
    if (leftovers.length) {
      opts.log.info({ segments: leftovers.length, rows: leftovers.reduce((s, x) => s + x.rowCount, 0) }, 'replaying spool from the previous run');
    }
    ingestor.loop = ingestor.flushLoop();
    return ingestor;
  }

  /** Durably stores a frame; resolves when a crash can no longer lose it. */
  async store(frame: Frame): Promise<void> {
    await this.spool.append(frame);
    if (frame.idempotency) this.idempotency.remember(frame.idempotency);
  }

  /** True when ClickHouse is behind and new requests should be turned away. */
  isBehind(): boolean {
    return this.spool.backlogBytes > this.opts.maxBacklogBytes;
  }

  /** Stops accepting, seals the spool and flushes everything to ClickHouse. */
  async close(): Promise<void> {
    await this.spool.close();
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private enqueue(segment: Segment): void {
    this.pending.push(segment);
    this.wake?.();
  }

  private async flushLoop(): Promise<void> {
    let failures = 0;
    for (;;) {
      const seg = this.pending[0];
      if (!seg) {
        if (this.stopping) return;
        await new Promise<void>((r) => (this.wake = r));
        this.wake = null;
        continue;
      }
      try {
        await this.flush(seg);
        this.pending.shift();
        failures = 0;
      } catch (err) {
        failures += 1;
        this.metrics.insertBatches.inc({ outcome: 'error' });
        if (isDataError(err)) {
          this.pending.shift();
          await this.quarantine(seg, err);
          continue;
        }
        const delayMs = Math.min(5_000, 100 * 2 ** Math.min(failures, 6));
        this.opts.log.error({ err, segment: seg.id, retryInMs: delayMs }, 'insert into ClickHouse failed; will retry the same segment');
        if (this.stopping && failures > 5) return;
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  private async flush(seg: Segment): Promise<void> {
    const started = performance.now();
    const settings: InsertSettings = {
      insert_deduplicate: 1,
      insert_deduplication_token: seg.id,
      deduplicate_blocks_in_dependent_materialized_views: 1,
      async_insert: 0,
      ...(this.db.cluster && { distributed_foreground_insert: 1 }),
    };
    const body = Buffer.concat(seg.frames.map((f) => f.rows));
    await this.db.insertRaw({ table: 'events', format: 'TabSeparated', columns: EVENT_COLUMNS, body, settings });
    const keyed = seg.frames.flatMap((f) => (f.idempotency ? [f.idempotency] : []));
    if (keyed.length) {
      // created_at is DateTime64(3): integer ticks are milliseconds.
      const rows = keyed.map((r) => JSON.stringify({ idempotency_key: r.key, body_sha256: r.sha256, response: r.response, created_at: r.atMs }));
      await this.db.insertRaw({
        table: 'ingest_requests',
        format: 'JSONEachRow',
        body: Buffer.from(`${rows.join('\n')}\n`),
        settings: { ...settings, insert_deduplication_token: `${seg.id}-requests` },
      });
    }
    await this.spool.release(seg);
    this.metrics.insertSeconds.observe((performance.now() - started) / 1000);
    this.metrics.insertBatches.inc({ outcome: 'ok' });
    this.metrics.insertRows.inc(seg.rowCount);
  }

  private async quarantine(seg: Segment, err: unknown): Promise<void> {
    const movedTo = await this.spool.quarantine(seg);
    this.opts.log.error({ err, segment: seg.id, rows: seg.rowCount, movedTo }, 'ClickHouse refused the data of a spool segment; quarantined it');
  }
}

/**
 * ClickHouse refused the rows themselves: retrying the same bytes cannot succeed. Matched
 * on the error text, which both transports carry (the HTTP client's ClickHouseError and
 * chdb's ChdbInsertError name the ClickHouse error type in parentheses).
 */
export function isDataError(err: unknown): boolean {
  return /\((CANNOT_PARSE_\w+|INCORRECT_DATA|TYPE_MISMATCH|TOO_LARGE_STRING_SIZE|CANNOT_READ_ALL_DATA)\)/.test(String((err as Error)?.message ?? err));
}
