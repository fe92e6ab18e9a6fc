// SQL for detection: the per-minute series of every service at once, anomaly episodes
// (upsert, list, one), their affected transactions and the attribute values
// over-represented among them.
import 'server-only';
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import { AppError } from '@/lib/server/errors';
import type { Db } from './client';
import { isoFromMicros } from './transactions';

type Num = number | string;

export interface MinuteRow {
  minute_ms: number;
  service: string;
  transactions: number;
  unsettled: number;
  counts: Record<FlagName, number>;
}

/** Committed per-minute transaction signals of every service ('' = all) since `fromMs`. */
export async function minuteSeries(db: Db, fromMs: number): Promise<MinuteRow[]> {
  const rows = await db.query<Record<string, Num> & { service: string }>(
    `SELECT toUnixTimestamp(minute) * 1000 AS minute_ms, service, sum(transactions) AS transactions, sum(unsettled) AS unsettled,
            ${FLAGS.map((f) => `sum(${f}) AS ${f}`).join(', ')}
     FROM signal_tx
     WHERE minute >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
       AND pass_id <= (SELECT maxIf(pass_id, status = 'committed') FROM analysis_passes)
     GROUP BY minute_ms, service ORDER BY minute_ms`,
    { from: fromMs },
  );
  return rows.map((r) => ({
    minute_ms: Number(r.minute_ms),
    service: r.service,
    transactions: Number(r.transactions),
    unsettled: Number(r.unsettled),
    counts: Object.fromEntries(FLAGS.map((f) => [f, Number(r[f])])) as Record<FlagName, number>,
  }));
}

export interface AnomalyRecord {
  id: string;
  signal: FlagName;
  service: string;
  status: 'open' | 'resolved';
  kind: string;
  start: string;
  last_anomalous: string;
  resolved_at: string | null;
  peak_score: number;
  observed: number;
  expected: number;
  lower: number;
  upper: number;
  sample_size: number;
  flagged: number;
  anomalous_buckets: number;
  affected: number;
  sample_tx_ids: string[];
  attribution: Attribution[];
}

export interface Attribution {
  key: string;
  value: string;
  /** Share of the affected transactions with this value. */
  share: number;
  /** Share among affected / share among baseline transactions. */
  lift: number;
}

const COLUMNS =
  'id, signal, service, status, kind, start, last_anomalous, resolved_at, peak_score, observed, expected, lower, upper, ' +
  'sample_size, flagged, anomalous_buckets, affected, sample_tx_ids, attribution';

export async function upsertAnomalies(db: Db, records: AnomalyRecord[], version: number): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((r) =>
    JSON.stringify({
      ...r,
      version,
      start: Date.parse(r.start),
      last_anomalous: Date.parse(r.last_anomalous),
      resolved_at: r.resolved_at === null ? null : Date.parse(r.resolved_at),
      attribution: JSON.stringify(r.attribution),
    }),
  );
  await db.insertRaw({ table: 'anomalies', format: 'JSONEachRow', body: Buffer.from(`${rows.join('\n')}\n`), settings: { insert_deduplicate: 0 } });
}

interface StoredRow extends Omit<AnomalyRecord, 'start' | 'last_anomalous' | 'resolved_at' | 'attribution' | 'sample_size' | 'flagged' | 'affected' | 'anomalous_buckets'> {
  start_us: Num;
  last_us: Num;
  resolved_us: Num | null;
  sample_size: Num;
  flagged: Num;
  affected: Num;
  anomalous_buckets: Num;
  attribution: string;
}

const SELECT_STORED = `SELECT ${COLUMNS.replace('start, last_anomalous, resolved_at', 'toUnixTimestamp64Micro(start) AS start_us, toUnixTimestamp64Micro(last_anomalous) AS last_us, toUnixTimestamp64Micro(resolved_at) AS resolved_us')} FROM anomalies FINAL`;

function fromStored(r: StoredRow): AnomalyRecord {
  const { start_us, last_us, resolved_us, ...rest } = r;
  return {
    ...rest,
    start: isoFromMicros(start_us),
    last_anomalous: isoFromMicros(last_us),
    resolved_at: resolved_us === null ? null : isoFromMicros(resolved_us),
    sample_size: Number(r.sample_size),
    flagged: Number(r.flagged),
    affected: Number(r.affected),
    anomalous_buckets: Number(r.anomalous_buckets),
    attribution: JSON.parse(r.attribution) as Attribution[],
  };
}

export interface AnomalyListQuery {
  from: number;
  to: number;
  status?: 'open' | 'resolved';
  signal?: FlagName;
  service?: string;
}

/** Episodes overlapping [from, to), newest first. */
export async function listAnomalies(db: Db, q: AnomalyListQuery, signal?: AbortSignal): Promise<AnomalyRecord[]> {
  const rows = await db.query<StoredRow>(
    `${SELECT_STORED}
     WHERE start < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
       AND ifNull(resolved_at, now64(3)) >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
       ${q.status ? 'AND status = {status:String}' : ''} ${q.signal ? 'AND signal = {signal:String}' : ''}
       ${q.service !== undefined ? 'AND service = {service:String}' : ''}
     ORDER BY start DESC LIMIT 1000`,
    { ...q },
    signal,
  );
  return rows.map(fromStored);
}

export async function getAnomaly(db: Db, id: string, signal?: AbortSignal): Promise<AnomalyRecord> {
  const [row] = await db.query<StoredRow>(`${SELECT_STORED} WHERE id = {id:String}`, { id }, signal);
  if (!row) throw new AppError('not_found', `no anomaly ${JSON.stringify(id)}`);
  return fromStored(row);
}

/** The transactions behind an episode: flagged with its signal, attributed to its service, started within it. */
function affectedWhere(flag: FlagName) {
  return `${flag} = 1
    AND first_ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND first_ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
    AND ({service:String} = '' OR has(arrayMap(r -> r.service, arrayFilter(r -> r.flag = '${flag}', reasons)), {service:String}))`;
}

export async function affectedTransactions(
  db: Db,
  flag: FlagName,
  service: string,
  fromMs: number,
  toMs: number,
  page: { limit: number; after?: string },
): Promise<{ total: number; tx_ids: string[] }> {
  const params = { from: fromMs, to: toMs, service, after: page.after ?? '', limit: page.limit };
  const [count] = await db.query<{ n: Num }>(`SELECT count() AS n FROM tx_flags FINAL WHERE ${affectedWhere(flag)}`, params);
  const ids = await db.query<{ tx_id: string }>(
    `SELECT tx_id FROM tx_flags FINAL WHERE ${affectedWhere(flag)} AND tx_id > {after:String} ORDER BY tx_id LIMIT {limit:UInt32}`,
    params,
  );
  return { total: Number(count?.n ?? 0), tx_ids: ids.map((r) => r.tx_id) };
}

/**
 * Attribute values (any `attributes` key, plus tx_type) over-represented among the affected
 * transactions compared with the service's other transactions of the preceding hours: the
 * top five by lift × share among values held by at least 20% of the affected.
 */
export async function attribution(db: Db, flag: FlagName, service: string, fromMs: number, toMs: number): Promise<Attribution[]> {
  const baselineFrom = fromMs - 6 * 3_600_000;
  const rows = await db.query<{ key: string; value: string; a: Num; b: Num; a_total: Num; b_total: Num }>(
    // IN over the sets, not has() over arrays: has() scans the 20,000-id array for every
    // attribute of every event (minutes at a few transactions a second); IN hashes it once.
    `WITH
       affected AS (SELECT tx_id FROM tx_flags FINAL WHERE ${affectedWhere(flag)} LIMIT 5000),
       baseline AS (SELECT tx_id FROM tx_flags FINAL
        WHERE first_ts >= fromUnixTimestamp64Milli({bfrom:Int64}, 'UTC') AND first_ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
          AND ({service:String} = '' OR has(counted_services, {service:String})) AND tx_id NOT IN affected LIMIT 20000)
     SELECT key, value, uniqExactIf(tx_id, tx_id IN affected) AS a, uniqExactIf(tx_id, tx_id IN baseline) AS b,
            (SELECT count() FROM affected) AS a_total, (SELECT count() FROM baseline) AS b_total
     FROM
     (
       SELECT tx_id, kv.1 AS key, kv.2 AS value
       FROM events
       ARRAY JOIN arrayConcat(arrayZip(mapKeys(attributes), mapValues(attributes)), [('tx_type', toString(tx_type))]) AS kv
       WHERE ts >= fromUnixTimestamp64Milli({bfrom:Int64}, 'UTC') - INTERVAL 1 HOUR AND (tx_id IN affected OR tx_id IN baseline)
     )
     GROUP BY key, value`,
    { from: fromMs, to: toMs, bfrom: baselineFrom, service },
  );
  return rows
    .map((r) => {
      const aTotal = Math.max(1, Number(r.a_total));
      const bTotal = Math.max(1, Number(r.b_total));
      const share = Number(r.a) / aTotal;
      const baseShare = Math.max(Number(r.b) / bTotal, 1 / bTotal);
      return { key: r.key, value: r.value, share: round(share), lift: round(share / baseShare) };
    })
    .filter((x) => x.share >= 0.2 && x.lift >= 1.5)
    .sort((x, y) => y.lift * y.share - x.lift * x.share)
    .slice(0, 5);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
