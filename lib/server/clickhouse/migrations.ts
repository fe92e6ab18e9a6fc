// Versioned migrations, recorded in `txdrift_migrations` and applied at start. Every
// statement is idempotent (IF NOT EXISTS), so a crash half-way or two processes starting
// together only repeat harmless work. Retention is not a migration: it follows
// RETENTION_DAYS on every start (ensureRetention).
import 'server-only';
import type { Db } from './client';
import { alertClaimsTable, alertConfigTable, alertDeliveriesTable, alertNotificationsTable } from './ddl-alerting';
import {
  analysisPassesTable,
  analysisTouchedTable,
  analysisVerdictsTable,
  anomaliesTable,
  createTable,
  createView,
  eventsTable,
  eventsTtl,
  ingestRequestsTable,
  migrationsTable,
  onCluster,
  signalEventsTable,
  signalEventsView,
  signalTxTable,
  storageTable,
  txFlagsTable,
  txIndexTable,
  txIndexView,
  type DdlOptions,
} from './ddl';

export interface Migration {
  version: number;
  name: string;
  statements: (o: DdlOptions) => string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'events and ingest requests',
    statements: (o) => [...createTable(o, eventsTable(o)), ...createTable(o, ingestRequestsTable())],
  },
  {
    version: 2,
    name: 'analysis: transaction index, verdicts, per-minute signals, passes',
    statements: (o) => [
      ...createTable(o, txIndexTable(o)),
      createView(o, txIndexView),
      ...createTable(o, signalEventsTable(o)),
      createView(o, signalEventsView),
      ...createTable(o, txFlagsTable(o)),
      ...createTable(o, signalTxTable(o)),
      ...createTable(o, analysisPassesTable()),
      ...createTable(o, analysisTouchedTable()),
      ...createTable(o, analysisVerdictsTable(o)),
    ],
  },
  {
    version: 3,
    name: 'detection: anomaly episodes',
    statements: (o) => createTable(o, anomaliesTable(o)),
  },
  {
    version: 4,
    name: 'alerting: destinations, rules, notifications, deliveries, claims',
    statements: (o) => [
      ...createTable(o, alertConfigTable('alert_destinations')),
      ...createTable(o, alertConfigTable('alert_rules')),
      ...createTable(o, alertNotificationsTable()),
      ...createTable(o, alertDeliveriesTable()),
      ...createTable(o, alertClaimsTable()),
    ],
  },
];

/** Every statement a fresh database needs, in order (for review and tests). */
export function allStatements(o: DdlOptions): string[] {
  return [...createTable(o, migrationsTable()), ...MIGRATIONS.flatMap((m) => m.statements(o))];
}

export interface MigrationReport {
  applied: number[];
  current: number;
}

export async function migrate(db: Db, retentionDays: number): Promise<MigrationReport> {
  const o: DdlOptions = { database: db.database, cluster: db.cluster, retentionDays };
  for (const sql of createTable(o, migrationsTable())) await ddl(db, sql);
  const done = new Set(
    (await db.query<{ version: number | string }>(`SELECT DISTINCT version FROM ${storageTable(o, 'txdrift_migrations')}`)).map((r) => Number(r.version)),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    for (const sql of m.statements(o)) await ddl(db, sql);
    await db.command(
      `INSERT INTO ${o.database}.txdrift_migrations (version, name, applied_at) VALUES ({v:UInt32}, {n:String}, now64(3))`,
      { v: m.version, n: m.name },
    );
    applied.push(m.version);
  }
  await ensureRetention(db, o);
  return { applied, current: Math.max(0, ...MIGRATIONS.map((m) => m.version)) };
}

/** Makes the events TTL match RETENTION_DAYS without rewriting existing parts. */
async function ensureRetention(db: Db, o: DdlOptions): Promise<void> {
  const table = storageTable(o, 'events').split('.')[1]!;
  const [row] = await db.query<{ engine_full: string }>(
    `SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {t:String}`,
    { db: o.database, t: table },
  );
  if (!row || row.engine_full.includes(`toIntervalDay(${o.retentionDays})`)) return;
  await ddl(db, `ALTER TABLE ${storageTable(o, 'events')}${onCluster(o)} MODIFY TTL ${eventsTtl(o.retentionDays)} SETTINGS materialize_ttl_after_modify = 0`);
}

async function ddl(db: Db, sql: string): Promise<void> {
  await db.command(sql);
}
