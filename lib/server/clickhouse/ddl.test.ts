import { describe, expect, it } from 'vitest';
import { createTable, eventsTable, eventsTtl, onCluster, storageTable, type DdlOptions, type TableSpec } from './ddl';
import { allStatements } from './migrations';

const single: DdlOptions = { database: 'txdb', cluster: null, retentionDays: 30 };
const cluster: DdlOptions = { database: 'txdb', cluster: 'txc', retentionDays: 30 };

const SHARD_PATH = `'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'`;
const ALL_PATH = `'/clickhouse/tables/all/{database}/{table}', '{shard}-{replica}'`;

/** The statement that creates `name` (exactly that table, not `<name>_local`). */
function statementFor(stmts: string[], qualified: string): string {
  const found = stmts.filter((s) => / IF NOT EXISTS (\S+)/.exec(s.split('\n')[0]!)?.[1] === qualified);
  expect(found, `one statement creating ${qualified}`).toHaveLength(1);
  return found[0]!;
}

describe('allStatements, single node', () => {
  const stmts = allStatements(single);

  it('creates every table and view, each materialized view after its target, and nothing else', () => {
    expect(stmts.map((s) => s.split('\n')[0])).toEqual([
      'CREATE TABLE IF NOT EXISTS txdb.txdrift_migrations',
      'CREATE TABLE IF NOT EXISTS txdb.events',
      'CREATE TABLE IF NOT EXISTS txdb.ingest_requests',
      'CREATE TABLE IF NOT EXISTS txdb.tx_index',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS txdb.tx_index_mv TO txdb.tx_index',
      'CREATE TABLE IF NOT EXISTS txdb.signal_events',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS txdb.signal_events_mv TO txdb.signal_events',
      'CREATE TABLE IF NOT EXISTS txdb.tx_flags',
      'CREATE TABLE IF NOT EXISTS txdb.signal_tx',
      'CREATE TABLE IF NOT EXISTS txdb.analysis_passes',
      'CREATE TABLE IF NOT EXISTS txdb.analysis_touched',
      'CREATE TABLE IF NOT EXISTS txdb.analysis_verdicts',
      'CREATE TABLE IF NOT EXISTS txdb.anomalies',
      'CREATE TABLE IF NOT EXISTS txdb.alert_destinations',
      'CREATE TABLE IF NOT EXISTS txdb.alert_rules',
      'CREATE TABLE IF NOT EXISTS txdb.alert_notifications',
      'CREATE TABLE IF NOT EXISTS txdb.alert_deliveries',
      'CREATE TABLE IF NOT EXISTS txdb.alert_claims',
    ]);
  });

  it('materialized views read the events table', () => {
    expect(statementFor(stmts, 'txdb.tx_index_mv')).toContain('FROM txdb.events GROUP BY tx_id');
    expect(statementFor(stmts, 'txdb.signal_events_mv')).toContain('FROM txdb.events GROUP BY minute, service');
  });

  it('tx_flags keeps the highest version per transaction', () => {
    const t = statementFor(stmts, 'txdb.tx_flags');
    expect(t).toContain('\nENGINE = ReplacingMergeTree(version)\nORDER BY tx_id');
  });

  it('events is a plain MergeTree with day partitions, the sort key, the TTL and dedup settings', () => {
    const events = statementFor(stmts, 'txdb.events');
    expect(events).toContain('\nENGINE = MergeTree\n');
    expect(events).not.toMatch(/Replicated|Distributed|ON CLUSTER|Replacing/);
    expect(events).toContain('\nPARTITION BY toYYYYMMDD(ts)\n');
    expect(events).toContain('\nORDER BY (service, toStartOfHour(ts), tx_id, ts)\n');
    expect(events).toContain('\nTTL toDateTime(ts) + INTERVAL 30 DAY\n');
    expect(events).toMatch(/\nSETTINGS non_replicated_deduplication_window = 10000, ttl_only_drop_parts = 1$/);
    expect(events).toContain('    tx_id String CODEC(ZSTD(1)),\n');
    expect(events).toContain('    seq Nullable(UInt64),\n');
    expect(events).toContain('INDEX idx_tx_id tx_id TYPE bloom_filter(0.001) GRANULARITY 1,\n');
  });

  it('ingest_requests keeps results one day and has no partition clause', () => {
    const ingest = statementFor(stmts, 'txdb.ingest_requests');
    expect(ingest).toContain('\nENGINE = MergeTree\n');
    expect(ingest).toContain('\nORDER BY (idempotency_key, created_at)\n');
    expect(ingest).toContain('\nTTL toDateTime(created_at) + INTERVAL 1 DAY\n');
    expect(ingest).not.toContain('PARTITION BY');
    expect(ingest).toMatch(/\nSETTINGS non_replicated_deduplication_window = 10000$/);
  });

  it('the migrations table is a ReplacingMergeTree ordered by version, without settings', () => {
    const m = statementFor(stmts, 'txdb.txdrift_migrations');
    expect(m).toContain('\nENGINE = ReplacingMergeTree\nORDER BY version');
    expect(m).not.toMatch(/SETTINGS|TTL|PARTITION/);
  });
});

describe('allStatements, cluster txc', () => {
  const stmts = allStatements(cluster);

  it('creates a local and a Distributed table per table, local first', () => {
    const firstLines = stmts.map((s) => s.split('\n')[0]);
    expect(firstLines.slice(0, 6)).toEqual([
      'CREATE TABLE IF NOT EXISTS txdb.txdrift_migrations_local ON CLUSTER txc',
      'CREATE TABLE IF NOT EXISTS txdb.txdrift_migrations ON CLUSTER txc AS txdb.txdrift_migrations_local',
      'CREATE TABLE IF NOT EXISTS txdb.events_local ON CLUSTER txc',
      'CREATE TABLE IF NOT EXISTS txdb.events ON CLUSTER txc AS txdb.events_local',
      'CREATE TABLE IF NOT EXISTS txdb.ingest_requests_local ON CLUSTER txc',
      'CREATE TABLE IF NOT EXISTS txdb.ingest_requests ON CLUSTER txc AS txdb.ingest_requests_local',
    ]);
    for (const t of ['tx_index', 'signal_events', 'tx_flags', 'signal_tx', 'analysis_passes', 'analysis_touched', 'analysis_verdicts', 'anomalies', 'alert_destinations', 'alert_rules', 'alert_notifications', 'alert_deliveries', 'alert_claims']) {
      expect(firstLines).toContain(`CREATE TABLE IF NOT EXISTS txdb.${t}_local ON CLUSTER txc`);
      expect(firstLines).toContain(`CREATE TABLE IF NOT EXISTS txdb.${t} ON CLUSTER txc AS txdb.${t}_local`);
    }
  });

  it('materialized views read and write the local tables on every node', () => {
    expect(stmts).toContain(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS txdb.tx_index_mv ON CLUSTER txc TO txdb.tx_index_local\n' +
        'AS SELECT tx_id, min(ts) AS min_ts, max(ts) AS max_ts, count() AS rows FROM txdb.events_local GROUP BY tx_id',
    );
  });

  it('events_local is replicated per shard and keeps partitions, sort key, TTL and the replicated-safe settings', () => {
    const local = statementFor(stmts, 'txdb.events_local');
    expect(local).toContain(`\nENGINE = ReplicatedMergeTree(${SHARD_PATH})\n`);
    expect(local).toContain('\nPARTITION BY toYYYYMMDD(ts)\n');
    expect(local).toContain('\nORDER BY (service, toStartOfHour(ts), tx_id, ts)\n');
    expect(local).toContain('\nTTL toDateTime(ts) + INTERVAL 30 DAY\n');
    expect(local).toMatch(/\nSETTINGS ttl_only_drop_parts = 1$/);
    expect(local).not.toContain('non_replicated_deduplication_window');
  });

  it('events is Distributed over events_local, sharded by transaction id', () => {
    const dist = statementFor(stmts, 'txdb.events');
    expect(dist).toBe(
      'CREATE TABLE IF NOT EXISTS txdb.events ON CLUSTER txc AS txdb.events_local\n' +
        'ENGINE = Distributed(txc, txdb, events_local, cityHash64(tx_id))',
    );
  });

  it('ingest_requests is sharded by idempotency key and drops its only setting', () => {
    const local = statementFor(stmts, 'txdb.ingest_requests_local');
    expect(local).toContain(`\nENGINE = ReplicatedMergeTree(${SHARD_PATH})\n`);
    expect(local).not.toContain('SETTINGS');
    expect(statementFor(stmts, 'txdb.ingest_requests')).toContain(
      '\nENGINE = Distributed(txc, txdb, ingest_requests_local, cityHash64(idempotency_key))',
    );
  });

  it('the migrations table replicates to every node', () => {
    const local = statementFor(stmts, 'txdb.txdrift_migrations_local');
    expect(local).toContain(`\nENGINE = ReplicatedReplacingMergeTree(${ALL_PATH})\nORDER BY version`);
    expect(local).not.toContain('{shard}/');
    expect(statementFor(stmts, 'txdb.txdrift_migrations')).toContain('ENGINE = Distributed(txc, txdb, txdrift_migrations_local, version)');
  });

  it('no statement carries a non-replicated-only setting', () => {
    for (const s of stmts) expect(s).not.toContain('non_replicated_deduplication_window');
  });
});

describe('every generated statement is idempotent', () => {
  it.each([
    ['single node', single],
    ['cluster', cluster],
  ])('%s', (_label, o) => {
    const stmts = allStatements(o);
    expect(stmts.length).toBeGreaterThanOrEqual(12);
    for (const s of stmts) expect(s).toMatch(/^CREATE (TABLE|MATERIALIZED VIEW) IF NOT EXISTS /);
  });
});

describe('createTable with a custom spec', () => {
  const spec: TableSpec = {
    name: 'things',
    columns: ['id String', 'v UInt64'],
    engine: 'ReplacingMergeTree(v)',
    orderBy: 'id',
    settings: { non_replicated_deduplication_window: 5, index_granularity: 4096 },
    shardBy: 'cityHash64(id)',
  };

  it('single node keeps the engine and its arguments verbatim', () => {
    expect(createTable(single, spec)).toEqual([
      'CREATE TABLE IF NOT EXISTS txdb.things\n(\n    id String,\n    v UInt64\n)\nENGINE = ReplacingMergeTree(v)\nORDER BY id\n' +
        'SETTINGS non_replicated_deduplication_window = 5, index_granularity = 4096',
    ]);
  });

  it('cluster mode prefixes Replicated and keeps the engine arguments after the path and replica', () => {
    const [local, dist] = createTable(cluster, spec);
    expect(local).toBe(
      'CREATE TABLE IF NOT EXISTS txdb.things_local ON CLUSTER txc\n(\n    id String,\n    v UInt64\n)\n' +
        `ENGINE = ReplicatedReplacingMergeTree(${SHARD_PATH}, v)\nORDER BY id\nSETTINGS index_granularity = 4096`,
    );
    expect(dist).toBe('CREATE TABLE IF NOT EXISTS txdb.things ON CLUSTER txc AS txdb.things_local\nENGINE = Distributed(txc, txdb, things_local, cityHash64(id))');
  });

  it('everyNode uses the /all/ path and a per-node replica name', () => {
    const [local] = createTable(cluster, { ...spec, everyNode: true });
    expect(local).toContain(`ENGINE = ReplicatedReplacingMergeTree(${ALL_PATH}, v)`);
  });
});

describe('retention', () => {
  it.each([
    [1, 'toDateTime(ts) + INTERVAL 1 DAY'],
    [7, 'toDateTime(ts) + INTERVAL 7 DAY'],
    [3650, 'toDateTime(ts) + INTERVAL 3650 DAY'],
    [7.9, 'toDateTime(ts) + INTERVAL 7 DAY'],
  ])('eventsTtl(%d) = %s', (days, ttl) => {
    expect(eventsTtl(days)).toBe(ttl);
  });

  it.each([[1], [90], [365]])('%d retention days appear in the events TTL in both layouts', (days) => {
    expect(eventsTable({ ...single, retentionDays: days }).ttl).toBe(`toDateTime(ts) + INTERVAL ${days} DAY`);
    expect(statementFor(allStatements({ ...single, retentionDays: days }), 'txdb.events')).toContain(`\nTTL toDateTime(ts) + INTERVAL ${days} DAY\n`);
    expect(statementFor(allStatements({ ...cluster, retentionDays: days }), 'txdb.events_local')).toContain(`\nTTL toDateTime(ts) + INTERVAL ${days} DAY\n`);
  });
});

describe('storageTable and onCluster', () => {
  it.each([
    [single, 'events', 'txdb.events', ''],
    [single, 'txdrift_migrations', 'txdb.txdrift_migrations', ''],
    [cluster, 'events', 'txdb.events_local', ' ON CLUSTER txc'],
    [{ database: 'other', cluster: 'prod_cluster', retentionDays: 30 }, 'ingest_requests', 'other.ingest_requests_local', ' ON CLUSTER prod_cluster'],
  ])('%j / %s', (o, name, table, clause) => {
    expect(storageTable(o, name)).toBe(table);
    expect(onCluster(o)).toBe(clause);
  });
});
