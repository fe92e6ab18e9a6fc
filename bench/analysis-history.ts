// Synthetic payment histories for bench/analysis.ts, generated inside the engine
// (`INSERT INTO events … SELECT … FROM numbers(n) ARRAY JOIN <events of one transaction>`).
// Pure string building: no I/O.
//
// One transaction of the `payment` model (DESIGN.md's example), ~6.03 events on average:
//   edge receive → api create (pending) → payments authorize (authorized) → payments capture
//   (captured) → ledger post (captured) → notifier notify (70 %); 15 % also settle minutes
//   later (payments settle + ledger settle, both `settled`); 2 % have a failed authorize
//   retried (error then ok, attempt 2). seq counts per service within the transaction,
//   every event but the first names its cause, idempotency keys are `<tx_id>:<step>`.
// Anomalies, ~1.5 % of transactions, so every flag is raised:
//   0.5 % a redelivered event_id (the capture arrives twice, 30 s apart)    → duplicate_delivery
//   0.4 % a second capture with the same idempotency key                    → duplicate_execution
//   0.3 % a stale `authorized` from api after the capture                  → ordering
//   0.3 % no ledger event at all                                           → divergence
// Time: transactions start at a constant rate (TX_INTERVAL_US), so a 10× larger history
// spans 10× more time at the same events per hour (10 M events ≈ 25 days, 1 M ≈ 2.5 days).

/** Average events per transaction of the generator (5 + 0.7 + 0.3 + anomalies and retries). */
export const AVG_EVENTS_PER_TX = 6.03;
/** One transaction starts every 1.3 s: ~16,700 events per hour, 10 M events in ~25 days. */
export const TX_INTERVAL_US = 1_300_000;

export type TxIds = 'random' | 'sequential';

const EV_TYPE =
  'Tuple(k UInt8, service String, operation String, state String, status String, seq UInt64, off Int64, ikey String, attempt UInt32, cause UInt8, lag Int64)';
const NONE = `CAST([], 'Array(${EV_TYPE})')`;

interface Ev {
  /** Event-id index within the transaction (copies of one event share it). */
  k: number;
  service: string;
  op: string;
  state?: string;
  status?: 'ok' | 'error';
  seq: number | string;
  /** µs after the transaction's start (SQL expression). */
  off: string;
  /** Idempotency key step ('' = no key). */
  key?: string;
  attempt?: number | string;
  /** Event-id index of the cause (0 = none). */
  cause?: number;
  /** Extra µs before it is received (redeliveries). */
  lag?: string;
}

const ev = (e: Ev) =>
  `CAST((${e.k}, '${e.service}', '${e.op}', '${e.state ?? ''}', '${e.status ?? 'ok'}', ${e.seq}, ${e.off}, '${e.key ?? ''}', ${e.attempt ?? 1}, ${e.cause ?? 0}, ${e.lag ?? '0'}), '${EV_TYPE}')`;
const one = (e: Ev) => `[${ev(e)}]`;
const when = (cond: string, ...es: Ev[]) => `if(${cond}, [${es.map(ev).join(', ')}], ${NONE})`;

/** SQL of the tx_id of transaction number `n` (an SQL expression). */
export function txIdSql(n: string, ids: TxIds): string {
  return ids === 'random'
    ? `concat('pay_', lower(hex(cityHash64(${n}, {seed:UInt64}))))`
    : `concat('pay_', leftPad(lower(hex(${n})), 12, '0'))`;
}

/** Per-transaction traits from h = intHash64(n); shared by the history and late events. */
const TRAITS = `
    intDiv(h, 65536) % 1000 AS a,
    h % 10 < 7 AS notify,
    intDiv(h, 256) % 20 < 3 AS settles,
    a < 5 AS redeliver,
    a >= 5 AND a < 9 AS dup_capture,
    a >= 9 AND a < 12 AS stale,
    a >= 12 AND a < 15 AS no_ledger,
    a >= 15 AND a < 35 AS retry`;

const CAPTURE: Ev = { k: 4, service: 'payments', op: 'capture', state: 'captured', seq: 3, off: '900000 + toInt64(h % 200000)', key: 'capture', cause: 3 };
const SETTLE_OFF = '300000000 + toInt64(intDiv(h, 1024) % 240000000)';

const TX_EVENTS = `arrayConcat(
      ${one({ k: 1, service: 'edge', op: 'receive', seq: 1, off: '0' })},
      ${one({ k: 2, service: 'api', op: 'create', state: 'pending', seq: 1, off: '15000 + toInt64(h % 10000)', key: 'create', cause: 1 })},
      ${when('retry', { k: 9, service: 'payments', op: 'authorize', status: 'error', seq: 1, off: '110000', key: 'authorize', cause: 2 })},
      ${one({ k: 3, service: 'payments', op: 'authorize', state: 'authorized', seq: 'if(retry, 2, 1)', off: '120000 + toInt64(h % 80000)', key: 'authorize', attempt: 'if(retry, 2, 1)', cause: 2 })},
      ${one(CAPTURE)},
      ${when('redeliver', { ...CAPTURE, lag: '30000000' })},
      ${when('dup_capture', { ...CAPTURE, k: 10, seq: 4, off: '1400000', attempt: 2 })},
      ${when('stale', { k: 11, service: 'api', op: 'update', state: 'authorized', seq: 2, off: '1200000', cause: 3 })},
      ${when('NOT no_ledger', { k: 5, service: 'ledger', op: 'post', state: 'captured', seq: 1, off: '1300000 + toInt64(h % 100000)', key: 'post', cause: 4 })},
      ${when('notify', { k: 6, service: 'notifier', op: 'notify', seq: 1, off: '1500000 + toInt64(h % 300000)', cause: 4 })},
      ${when('settles', { k: 7, service: 'payments', op: 'settle', state: 'settled', seq: 5, off: SETTLE_OFF, key: 'settle', cause: 4 })},
      ${when('settles AND NOT no_ledger', { k: 8, service: 'ledger', op: 'settle', state: 'settled', seq: 2, off: `${SETTLE_OFF} + 200000`, key: 'settle', cause: 7 })}
    )`;

/** Events that arrive late for an existing transaction: its settlement, or (if it settled already) notifications; 5 % redelivered. */
const LATE_EVENTS = `if(NOT settles,
      arrayConcat(
        ${one({ k: 7, service: 'payments', op: 'settle', state: 'settled', seq: 5, off: '0', key: 'settle', cause: 4 })},
        if(late_redeliver,
           ${one({ k: 7, service: 'payments', op: 'settle', state: 'settled', seq: 5, off: '0', key: 'settle', cause: 4, lag: '20000000' })},
           ${one({ k: 8, service: 'ledger', op: 'settle', state: 'settled', seq: 2, off: '200000', key: 'settle', cause: 7 })})),
      arrayConcat(
        ${one({ k: 12, service: 'notifier', op: 'notify', seq: 2, off: '0', cause: 7 })},
        if(late_redeliver,
           ${one({ k: 12, service: 'notifier', op: 'notify', seq: 2, off: '0', cause: 7, lag: '20000000' })},
           ${one({ k: 13, service: 'notifier', op: 'notify', seq: 3, off: '200000', attempt: 2, cause: 7 })})))`;

const eventId = (k: string) => `concat('evt_', lower(hex(cityHash64(n, ${k}, {seed:UInt64}))))`;

/** The columns and SELECT list shared by both inserts; `inserted` is null to leave inserted_at to its DEFAULT (now64(6)). */
function outer(inserted: string | null): { columns: string; select: string } {
  const cols = ['ts', 'received_at', ...(inserted ? ['inserted_at'] : []), 'tx_id', 'event_id', 'service', 'operation', 'tx_type', 'state', 'status', 'seq',
    'idempotency_key', 'attempt', 'causation_id', 'trace_id', 'span_id', 'attributes', 'request_id'];
  const select = [
    `fromUnixTimestamp64Micro(t0 + e.off, 'UTC')`,
    `fromUnixTimestamp64Micro(t0 + e.off + e.lag + 2000 + toInt64(cityHash64(n, e.k, 'rx') % 50000), 'UTC')`,
    ...(inserted ? [inserted] : []),
    'tx_id',
    eventId('e.k'),
    'e.service',
    'e.operation',
    `'payment'`,
    'e.state',
    'e.status',
    'e.seq',
    `if(e.ikey = '', '', concat(tx_id, ':', e.ikey))`,
    'e.attempt',
    `if(e.cause = 0, '', ${eventId('e.cause')})`,
    `concat(lower(hex(cityHash64(n, 'trace'))), lower(hex(cityHash64(n, 'trace2'))))`,
    `lower(hex(cityHash64(n, e.k, 'span')))`,
    `map('region', ['eu-west-1', 'us-east-1', 'ap-south-1'][h % 3 + 1], 'amount', toString((h % 100000) / 100), 'version', concat('2026.11.', toString(h % 4)))`,
    `'bench'`,
  ];
  return { columns: cols.join(', '), select: select.join(',\n  ') };
}

/**
 * Transactions number {first} … {first}+{count}-1, transaction i starting at
 * {start_us} + (i - first) × {interval_us} (+ jitter). `history`: inserted_at = a few seconds
 * after the event, capped at {cap_us}; otherwise inserted_at is the insert's own time.
 * Parameters: first, count, start_us, interval_us, seed, and cap_us for a history.
 */
export function transactionsInsert(opts: { history: boolean; ids: TxIds }): string {
  const inserted = opts.history
    ? `fromUnixTimestamp64Micro(least(t0 + e.off + e.lag + 1000000 + toInt64(cityHash64(n, e.k, 'ins') % 4000000), {cap_us:Int64}), 'UTC')`
    : null;
  const { columns, select } = outer(inserted);
  return `
INSERT INTO events (${columns})
SETTINGS insert_deduplicate = 0
SELECT
  ${select}
FROM
(
  SELECT
    number + {first:UInt64} AS n,
    intHash64(n) AS h,
    ${txIdSql('n', opts.ids)} AS tx_id,
    {start_us:Int64} + toInt64(number) * {interval_us:Int64} + toInt64(h % toUInt64({interval_us:Int64})) AS t0,${TRAITS},
    ${TX_EVENTS} AS evs
  FROM numbers({count:UInt64})
)
ARRAY JOIN evs AS e`;
}

/**
 * Late events (2 per transaction) for the existing transactions number {last} - {skip},
 * {last} - {skip} - 1, … ({count} of them), at event times in the last hour before
 * {now_us}; inserted_at is the insert's own time. Parameters: last, skip, count, now_us, seed.
 */
export function lateEventsInsert(opts: { ids: TxIds }): string {
  const { columns, select } = outer(null);
  return `
INSERT INTO events (${columns})
SETTINGS insert_deduplicate = 0
SELECT
  ${select}
FROM
(
  SELECT
    {last:UInt64} - {skip:UInt64} - number AS n,
    intHash64(n) AS h,
    ${txIdSql('n', opts.ids)} AS tx_id,
    {now_us:Int64} - 60000000 - toInt64(cityHash64(n, 'late') % 2900000000) AS t0,${TRAITS},
    cityHash64(n, 'late_redeliver') % 20 = 0 AS late_redeliver,
    ${LATE_EVENTS} AS evs
  FROM numbers({count:UInt64})
)
ARRAY JOIN evs AS e`;
}
