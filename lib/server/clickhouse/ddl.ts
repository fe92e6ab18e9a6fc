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
      `INDEX idx_received_at received_at TYPE minmax GRANULARITY 1`,
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
