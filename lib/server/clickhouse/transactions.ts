// SQL for flagged-transaction listings and the per-transaction drill-down, with the
// mappers from rows to the API's shapes.
import 'server-only';
import { FLAGS, type FlagName, type FlagReason } from '@/lib/analysis/flags';
import type { TransactionListQuery } from '@/lib/domain/api';
import { AppError } from '@/lib/server/errors';
import type { Db } from './client';

export interface TransactionSummary {
  tx_id: string;
  tx_type: string;
  first_ts: string;
  last_ts: string;
  services: string[];
  flags: { flag: FlagName; rule: string; service: string; reason: string }[];
}

interface Row {
  tx_id: string;
  tx_type: string;
  first_us: number | string;
  last_us: number | string;
  services: string[];
  reasons: ReasonRow[];
}
type ReasonRow = { flag: string; rule: string; service: string; detail: string; event_ids: string[] } | [string, string, string, string, string[]];

/** The current verdict of every transaction (highest version), as a subquery. */
const CURRENT = `(SELECT * FROM tx_flags FINAL)`;

export async function listFlaggedTransactions(db: Db, q: TransactionListQuery, signal?: AbortSignal) {
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const rows = await db.query<Row>(
    `SELECT tx_id, tx_type, toUnixTimestamp64Micro(first_ts) AS first_us, toUnixTimestamp64Micro(last_ts) AS last_us, services, reasons
     FROM ${CURRENT}
     WHERE first_ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND first_ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
       AND ${q.flag ? `${q.flag} = 1` : `(${FLAGS.join(' OR ')})`}
       ${q.service ? 'AND has(services, {service:String})' : ''}
       ${q.tx_type ? 'AND tx_type = {tx_type:String}' : ''}
       ${after ? 'AND (toUnixTimestamp64Micro(first_ts), tx_id) < ({after_us:Int64}, {after_id:String})' : ''}
     ORDER BY first_ts DESC, tx_id DESC
     LIMIT {limit:UInt32}`,
    { from: q.from, to: q.to, service: q.service, tx_type: q.tx_type, after_us: after?.[0], after_id: after?.[1], limit: q.limit + 1 },
    signal,
  );
  const page = rows.slice(0, q.limit).map(toSummary);
  const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
  return { transactions: page, ...(last && { next_cursor: encodeCursor(Number(last.first_us), last.tx_id) }) };
}

function toSummary(r: Row): TransactionSummary {
  const reasons = r.reasons.map(reasonFromRow);
  const flags = FLAGS.flatMap((flag) => {
    const first = reasons.find((x) => x.flag === flag);
    return first ? [{ flag, rule: first.rule, service: first.service, reason: first.detail }] : [];
  });
  return { tx_id: r.tx_id, tx_type: r.tx_type, first_ts: isoFromMicros(r.first_us), last_ts: isoFromMicros(r.last_us), services: r.services, flags };
}

export function reasonFromRow(x: ReasonRow): FlagReason {
  const [flag, rule, service, detail, event_ids] = Array.isArray(x) ? x : [x.flag, x.rule, x.service, x.detail, x.event_ids];
  return { flag, rule, service, detail, event_ids } as FlagReason;
}

export interface TransactionEvent {
  event_id: string;
  service: string;
  operation: string;
  ts: string;
  received_at: string;
  tx_type: string;
  state: string;
  status: 'ok' | 'error';
  seq: number | null;
  idempotency_key: string;
  attempt: number;
  causation_id: string;
  trace_id: string;
  span_id: string;
  attributes: Record<string, string>;
  /** A later copy of an event_id already received: shown, not counted by the rules. */
  redelivered_copy: boolean;
}

interface EventRow extends Omit<TransactionEvent, 'ts' | 'received_at' | 'seq' | 'attempt' | 'redelivered_copy'> {
  ts_us: number | string;
  received_us: number | string;
  seq: number | string | null;
  attempt: number | string;
  copy_rank: number | string;
}

/** Every received event of one transaction in timeline order, its verdict, and each service's last state. */
export async function getTransaction(db: Db, txId: string, signal?: AbortSignal) {
  const events = await db.query<EventRow>(
    `SELECT event_id, service, operation, toUnixTimestamp64Micro(ts) AS ts_us, toUnixTimestamp64Micro(received_at) AS received_us,
            tx_type, state, status, seq, idempotency_key, attempt, causation_id, trace_id, span_id, attributes,
            row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_rank
     FROM events
     WHERE tx_id = {tx:String}
       AND toStartOfHour(ts) IN (
         SELECT arrayJoin(arrayMap(h -> toStartOfHour(lo + toIntervalHour(h)), range(toUInt64(dateDiff('hour', toStartOfHour(lo), toStartOfHour(hi)) + 1))))
         FROM (SELECT min(min_ts) AS lo, max(max_ts) AS hi FROM tx_index WHERE tx_id = {tx:String}))
     ORDER BY ts, ifNull(toInt64(seq), -1), event_id, received_at`,
    { tx: txId },
    signal,
  );
  if (events.length === 0) throw new AppError('not_found', `no transaction ${JSON.stringify(txId)}: no event with this tx_id was received (or it is past retention)`);
  const [verdict] = await db.query<Row & { duplicate_delivery: number; duplicate_execution: number; ordering: number; divergence: number; settled: number; version: number | string }>(
    `SELECT tx_id, tx_type, toUnixTimestamp64Micro(first_ts) AS first_us, toUnixTimestamp64Micro(last_ts) AS last_us, services, reasons,
            duplicate_delivery, duplicate_execution, ordering, divergence, settled, version
     FROM tx_flags FINAL WHERE tx_id = {tx:String}`,
    { tx: txId },
    signal,
  );
  const timeline = events.map(toEvent);
  return {
    tx_id: txId,
    tx_type: verdict?.tx_type ?? timeline.find((e) => e.tx_type !== 'default')?.tx_type ?? 'default',
    first_ts: timeline[0]!.ts,
    last_ts: timeline.reduce((m, e) => (e.ts > m ? e.ts : m), timeline[0]!.ts),
    services: [...new Set(timeline.map((e) => e.service))].sort(),
    analyzed: Boolean(verdict),
    settled: verdict ? verdict.settled === 1 : false,
    flags: verdict ? FLAGS.filter((f) => verdict[f] === 1) : [],
    reasons: verdict ? verdict.reasons.map(reasonFromRow) : [],
    last_states: lastStates(timeline),
    events: timeline,
  };
}

/** Each service's last state on the timeline (from ok events that carry one; copies ignored). */
export function lastStates(timeline: TransactionEvent[]): { service: string; state: string; event_id: string; ts: string }[] {
  const last = new Map<string, TransactionEvent>();
  for (const e of timeline) if (!e.redelivered_copy && e.status === 'ok' && e.state !== '') last.set(e.service, e);
  return [...last.values()].map((e) => ({ service: e.service, state: e.state, event_id: e.event_id, ts: e.ts })).sort((a, b) => (a.service < b.service ? -1 : 1));
}

function toEvent(r: EventRow): TransactionEvent {
  return {
    event_id: r.event_id,
    service: r.service,
    operation: r.operation,
    ts: isoFromMicros(r.ts_us),
    received_at: isoFromMicros(r.received_us),
    tx_type: r.tx_type,
    state: r.state,
    status: r.status,
    seq: r.seq === null ? null : Number(r.seq),
    idempotency_key: r.idempotency_key,
    attempt: Number(r.attempt),
    causation_id: r.causation_id,
    trace_id: r.trace_id,
    span_id: r.span_id,
    attributes: r.attributes,
    redelivered_copy: Number(r.copy_rank) > 1,
  };
}

/** Epoch microseconds → ISO 8601 with microseconds. */
export function isoFromMicros(us: number | string): string {
  const n = Number(us);
  const ms = Math.floor(n / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(n - ms * 1000).padStart(3, '0')}Z`;
}

function encodeCursor(firstUs: number, txId: string): string {
  return Buffer.from(JSON.stringify([firstUs, txId])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    /* fall through */
  }
  throw new AppError('bad_request', 'parameter cursor: not a cursor returned by this API (pass next_cursor unchanged)');
}
