// DDL for every txdrift table, generated for one of two layouts:
//  - single node (embedded engine or one server): plain MergeTree tables;
//  - cluster (CLICKHOUSE_CLUSTER): `<name>_local` Replicated*MergeTree tables created
//    ON CLUSTER, and a `<name>` Distributed table over them sharded by transaction id,
//    so every event of one transaction lives on one shard and per-transaction analysis
//    stays shard-local.
// Queries and inserts always name the un-suffixed table, so the SQL is the same in both.
// Pure string building (no I/O) so the cluster DDL can be unit-tested without a cluster.

export interface DdlOptions {
  database: string;
  cluster: string | null;
  retentionDays: number;
}

export interface TableSpec {
  name: string;
  columns: string[];
  /** MergeTree family engine without the Replicated prefix, e.g. `MergeTree` or `ReplacingMergeTree(v)`. */
  engine: string;
  partitionBy?: string;
  orderBy: string;
  ttl?: string;
  settings?: Record<string, string | number>;
  /** Sharding expression of the Distributed table in cluster mode. */
  shardBy: string;
  /** Replicate to every node instead of per shard (small metadata tables). */
  everyNode?: boolean;
}

/** Settings that only exist for non-replicated MergeTree tables. */
const SINGLE_NODE_ONLY = new Set(['non_replicated_deduplication_window']);

export function createTable(o: DdlOptions, t: TableSpec): string[] {
  const q = (name: string) => `${o.database}.${name}`;
  const body = (engine: string, settings: Record<string, string | number>) =>
    [
      `(\n    ${t.columns.join(',\n    ')}\n)`,
      `ENGINE = ${engine}`,
      t.partitionBy ? `PARTITION BY ${t.partitionBy}` : '',
      `ORDER BY ${t.orderBy}`,
      t.ttl ? `TTL ${t.ttl}` : '',
      Object.keys(settings).length ? `SETTINGS ${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n');

  if (!o.cluster) return [`CREATE TABLE IF NOT EXISTS ${q(t.name)}\n${body(t.engine, t.settings ?? {})}`];

  const local = `${t.name}_local`;
  const zkPath = t.everyNode ? `/clickhouse/tables/all/{database}/{table}` : `/clickhouse/tables/{shard}/{database}/{table}`;
  const replicaName = t.everyNode ? `{shard}-{replica}` : `{replica}`;
  const [family, args = ''] = /^(\w+)(?:\((.*)\))?$/.exec(t.engine)!.slice(1);
  const replicated = `Replicated${family}('${zkPath}', '${replicaName}'${args ? `, ${args}` : ''})`;
  const settings = Object.fromEntries(Object.entries(t.settings ?? {}).filter(([k]) => !SINGLE_NODE_ONLY.has(k)));
  return [
    `CREATE TABLE IF NOT EXISTS ${q(local)} ON CLUSTER ${o.cluster}\n${body(replicated, settings)}`,
    `CREATE TABLE IF NOT EXISTS ${q(t.name)} ON CLUSTER ${o.cluster} AS ${q(local)}\nENGINE = Distributed(${o.cluster}, ${o.database}, ${local}, ${t.shardBy})`,
  ];
}

/** The table that physically holds the rows (where TTL and ALTERs apply). */
export function storageTable(o: DdlOptions, name: string): string {
  return o.cluster ? `${o.database}.${name}_local` : `${o.database}.${name}`;
}

export function onCluster(o: DdlOptions): string {
  return o.cluster ? ` ON CLUSTER ${o.cluster}` : '';
}

export const eventsTtl = (days: number) => `toDateTime(ts) + INTERVAL ${Math.trunc(days)} DAY`;

/**
 * Raw events, one row per received event. Genuine duplicates are kept (txdrift measures
 * them): the engine is plain MergeTree, never Replacing on event_id. Our own retried
 * writes are made idempotent by insert deduplication tokens instead.
 *
 * - PARTITION BY day of event time: retention drops whole days (ttl_only_drop_parts),
 *   and 30 days of retention stay far below the ~1,000-partition comfort limit.
 * - ORDER BY (service, toStartOfHour(ts), tx_id, ts): the signal path reads a time range
 *   per service and finds it by prefix; the drill-down path reads one transaction, whose
 *   events sit together inside each (service, hour) run, so the primary index narrows to
 *   a few granules per service-hour, and a bloom filter on tx_id prunes the rest.
 * - LowCardinality for the small vocabularies (service, operation, tx_type, state);
 *   Enum8 for status; Nullable(UInt64) for seq because 0 is a valid sequence number and
 *   "no seq" must stay distinguishable; ids and free text are String with ZSTD.
 * - non_replicated_deduplication_window: MergeTree keeps no insert ids by default; 10,000
 *   block ids cover every spool segment a restart could replay.
 */
export function eventsTable(o: DdlOptions): TableSpec {
  return {
    name: 'events',
    columns: [
      `ts DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1))`,
      `received_at DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1))`,
      // Set by ClickHouse when the row is written: the analysis watermark (our clock, monotonic
      // enough across ingest instances, and unaffected by how long a row waited in the spool).
      `inserted_at DateTime64(6, 'UTC') DEFAULT now64(6) CODEC(Delta, ZSTD(1))`,
      `tx_id String CODEC(ZSTD(1))`,
      `event_id String CODEC(ZSTD(1))`,
      `service LowCardinality(String)`,
      `operation LowCardinality(String)`,
      `tx_type LowCardinality(String)`,
      `state LowCardinality(String)`,
      `status Enum8('ok' = 1, 'error' = 2)`,
      `seq Nullable(UInt64)`,
      `idempotency_key String CODEC(ZSTD(1))`,
      `attempt UInt32 CODEC(T64, ZSTD(1))`,
      `causation_id String CODEC(ZSTD(1))`,
      `trace_id String CODEC(ZSTD(1))`,
      `span_id String CODEC(ZSTD(1))`,
      `attributes Map(LowCardinality(String), String) CODEC(ZSTD(1))`,
      `request_id String CODEC(ZSTD(1))`,
      `INDEX idx_tx_id tx_id TYPE bloom_filter(0.001) GRANULARITY 1`,
      `INDEX idx_event_id event_id TYPE bloom_filter(0.01) GRANULARITY 4`,
      `INDEX idx_idempotency_key idempotency_key TYPE bloom_filter(0.01) GRANULARITY 4`,
      `INDEX idx_inserted_at inserted_at TYPE minmax GRANULARITY 1`,
    ],
    engine: 'MergeTree',
    partitionBy: 'toYYYYMMDD(ts)',
    orderBy: '(service, toStartOfHour(ts), tx_id, ts)',
    ttl: eventsTtl(o.retentionDays),
    settings: { non_replicated_deduplication_window: 10000, ttl_only_drop_parts: 1 },
    shardBy: 'cityHash64(tx_id)',
  };
}

/** Results of ingest requests sent with an Idempotency-Key, kept 24 h so a retry gets the original answer. */
export function ingestRequestsTable(): TableSpec {
  return {
    name: 'ingest_requests',
    columns: [
      `idempotency_key String`,
      `body_sha256 String`,
      `response String CODEC(ZSTD(1))`,
      `created_at DateTime64(3, 'UTC')`,
    ],
    engine: 'MergeTree',
    orderBy: '(idempotency_key, created_at)',
    ttl: 'toDateTime(created_at) + INTERVAL 1 DAY',
    settings: { non_replicated_deduplication_window: 10000 },
    shardBy: 'cityHash64(idempotency_key)',
  };
}

export function migrationsTable(): TableSpec {
  return {
    name: 'txdrift_migrations',
    columns: [`version UInt32`, `name String`, `applied_at DateTime64(3, 'UTC')`],
    engine: 'ReplacingMergeTree',
    orderBy: 'version',
    shardBy: 'version',
    everyNode: true,
  };
}

export interface ViewSpec {
  name: string;
  /** Target table (un-suffixed name). */
  to: string;
  /** SELECT over `{source}`, which becomes events (single node) or events_local (cluster). */
  select: string;
}

/** A materialized view; in cluster mode it reads the local source table and writes the local target. */
export function createView(o: DdlOptions, v: ViewSpec, source = 'events'): string {
  const q = (name: string) => `${o.database}.${name}`;
  const local = (name: string) => (o.cluster ? `${name}_local` : name);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${q(v.name)}${onCluster(o)} TO ${q(local(v.to))}\nAS ${v.select.replace('{source}', q(local(source)))}`;
}

/** Each transaction's event-time span: narrows per-transaction reads to the hours it spans. */
export function txIndexTable(o: DdlOptions): TableSpec {
  return {
    name: 'tx_index',
    columns: [
      `tx_id String`,
      `min_ts SimpleAggregateFunction(min, DateTime64(6, 'UTC'))`,
      `max_ts SimpleAggregateFunction(max, DateTime64(6, 'UTC'))`,
      `rows SimpleAggregateFunction(sum, UInt64)`,
    ],
    engine: 'AggregatingMergeTree',
    orderBy: 'tx_id',
    ttl: `toDateTime(max_ts) + INTERVAL ${Math.trunc(o.retentionDays)} DAY`,
    settings: { non_replicated_deduplication_window: 10000 },
    shardBy: 'cityHash64(tx_id)',
  };
}

export const txIndexView: ViewSpec = {
  name: 'tx_index_mv',
  to: 'tx_index',
  select: 'SELECT tx_id, min(ts) AS min_ts, max(ts) AS max_ts, count() AS rows FROM {source} GROUP BY tx_id',
};

/** Events per minute (event time) and service, summed as rows arrive. */
export function signalEventsTable(o: DdlOptions): TableSpec {
  return {
    name: 'signal_events',
    columns: [`minute DateTime('UTC')`, `service LowCardinality(String)`, `events UInt64`],
    engine: 'SummingMergeTree',
    partitionBy: 'toYYYYMM(minute)',
    orderBy: '(minute, service)',
    ttl: `minute + INTERVAL ${Math.trunc(o.retentionDays)} DAY`,
    settings: { non_replicated_deduplication_window: 10000 },
    shardBy: 'rand()',
  };
}

export const signalEventsView: ViewSpec = {
  name: 'signal_events_mv',
  to: 'signal_events',
  select: 'SELECT toStartOfMinute(ts) AS minute, service, count() AS events FROM {source} GROUP BY minute, service',
};

/**
 * The current verdict per transaction: one row per evaluation, the highest `version`
 * (analysis pass id) wins. Ordered by tx_id for the per-transaction lookups of a pass.
 */
export function txFlagsTable(o: DdlOptions): TableSpec {
  return {
    name: 'tx_flags',
    columns: [
      `tx_id String`,
      `version UInt64`,
      `tx_type LowCardinality(String)`,
      `first_ts DateTime64(6, 'UTC')`,
      `last_ts DateTime64(6, 'UTC')`,
      `last_inserted_at DateTime64(6, 'UTC')`,
      `received UInt32`,
      `services Array(LowCardinality(String))`,
      `counted_services Array(LowCardinality(String))`,
      `duplicate_delivery UInt8`,
      `duplicate_execution UInt8`,
      `ordering UInt8`,
      `divergence UInt8`,
      `settled UInt8`,
      `reasons Array(Tuple(flag LowCardinality(String), rule LowCardinality(String), service LowCardinality(String), detail String, event_ids Array(String)))`,
      `evaluated_at DateTime64(3, 'UTC') DEFAULT now64(3)`,
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'tx_id',
    ttl: `toDateTime(last_ts) + INTERVAL ${Math.trunc(o.retentionDays)} DAY`,
    shardBy: 'cityHash64(tx_id)',
  };
}

/**
 * Per-minute transaction signals as signed deltas, tagged with the pass that wrote them:
 * a pass adds its new verdicts and subtracts the verdicts they replace. Readers sum rows of
 * committed passes only, so a pass that crashed half-way counts for nothing (and its rows
 * are deleted by the next pass).
 */
export function signalTxTable(o: DdlOptions): TableSpec {
  return {
    name: 'signal_tx',
    columns: [
      `minute DateTime('UTC')`,
      `service LowCardinality(String)`,
      `pass_id UInt64`,
      `transactions Int64`,
      `unsettled Int64`,
      `flagged Int64`,
      `duplicate_delivery Int64`,
      `duplicate_execution Int64`,
      `ordering Int64`,
      `divergence Int64`,
    ],
    engine: 'SummingMergeTree',
    partitionBy: 'toYYYYMM(minute)',
    orderBy: '(minute, service, pass_id)',
    ttl: `minute + INTERVAL ${Math.trunc(o.retentionDays)} DAY`,
    shardBy: 'rand()',
  };
}

/** One row per analysis pass and step: started, committed (with watermark and summary), applied. */
export function analysisPassesTable(): TableSpec {
  return {
    name: 'analysis_passes',
    columns: [
      `pass_id UInt64`,
      `status Enum8('started' = 1, 'committed' = 2, 'applied' = 3)`,
      `watermark DateTime64(6, 'UTC')`,
      `full UInt8`,
      `evaluated UInt64`,
      `raised String`,
      `cleared String`,
      `duration_ms UInt32`,
      `at DateTime64(3, 'UTC') DEFAULT now64(3)`,
    ],
    engine: 'MergeTree',
    orderBy: '(pass_id, status)',
    ttl: 'toDateTime(at) + INTERVAL 30 DAY',
    shardBy: 'pass_id',
    everyNode: true,
  };
}

/**
 * The verdicts of one pass before they are applied to tx_flags (scratch, kept a day). Keeping
 * them apart lets a pass compute its signal deltas against tx_flags while tx_flags holds
 * committed verdicts only: background merges can never fold the verdict being replaced
 * into the new one before the delta reads it.
 */
export function analysisVerdictsTable(o: DdlOptions): TableSpec {
  const flags = txFlagsTable(o);
  return {
    name: 'analysis_verdicts',
    // replaced = 1: a snapshot of the verdict this pass replaces (read once from tx_flags).
    columns: [`pass_id UInt64`, `replaced UInt8`, ...flags.columns, `at DateTime('UTC') DEFAULT now()`],
    engine: 'MergeTree',
    orderBy: '(pass_id, replaced, tx_id)',
    ttl: 'at + INTERVAL 1 DAY',
    shardBy: 'cityHash64(tx_id)',
  };
}

/** The transactions one pass re-evaluates (scratch, kept a day for inspection). */
export function analysisTouchedTable(): TableSpec {
  return {
    name: 'analysis_touched',
    columns: [`pass_id UInt64`, `tx_id String`, `at DateTime('UTC') DEFAULT now()`],
    engine: 'MergeTree',
    orderBy: '(pass_id, tx_id)',
    ttl: 'at + INTERVAL 1 DAY',
    shardBy: 'cityHash64(tx_id)',
  };
}

/**
 * Anomaly episodes, one row per (signal, service, start); re-scoring writes a newer
 * version. Evidence (observed vs expected, bounds, sample size, affected transactions,
 * attribution) is kept with the episode so an alert or a page can show why.
 */
export function anomaliesTable(o: DdlOptions): TableSpec {
  return {
    name: 'anomalies',
    columns: [
      `id String`,
      `version UInt64`,
      `signal LowCardinality(String)`,
      `service LowCardinality(String)`,
      `status Enum8('open' = 1, 'resolved' = 2)`,
      `kind LowCardinality(String)`,
      `start DateTime64(3, 'UTC')`,
      `last_anomalous DateTime64(3, 'UTC')`,
      `resolved_at Nullable(DateTime64(3, 'UTC'))`,
      `peak_score Float64`,
      `observed Float64`,
      `expected Float64`,
      `lower Float64`,
      `upper Float64`,
      `sample_size UInt64`,
      `flagged UInt64`,
      `anomalous_buckets UInt32`,
      `affected UInt64`,
      `sample_tx_ids Array(String)`,
      `attribution String`,
      `updated_at DateTime64(3, 'UTC') DEFAULT now64(3)`,
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'id',
    ttl: `toDateTime(start) + INTERVAL ${Math.trunc(o.retentionDays)} DAY`,
    shardBy: 'cityHash64(id)',
  };
}
