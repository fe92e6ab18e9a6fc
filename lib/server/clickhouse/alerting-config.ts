// SQL for alerting configuration made through the API: destinations and rules as versioned
// JSON specs (the newest version wins; deleting writes a tombstone).
import 'server-only';
import type { Db } from './client';

type Num = number | string;
export type ConfigTable = 'alert_destinations' | 'alert_rules';

export interface StoredSpec<T> {
  id: string;
  spec: T;
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

let lastVersion = 0;
/** Microseconds, strictly increasing within the process (two edits in one millisecond keep their order). */
function nextVersion(): number {
  lastVersion = Math.max(Date.now() * 1000, lastVersion + 1);
  return lastVersion;
}

export async function putSpec(db: Db, table: ConfigTable, row: { id: string; spec: unknown; deleted?: boolean; createdAtMs: number }): Promise<void> {
  const line = JSON.stringify({
    id: row.id,
    version: nextVersion(),
    spec: JSON.stringify(row.spec),
    deleted: row.deleted ? 1 : 0,
    created_at: row.createdAtMs,
    updated_at: Date.now(),
  });
  await db.insertRaw({ table, format: 'JSONEachRow', body: Buffer.from(`${line}\n`), settings: { insert_deduplicate: 0, ...(db.cluster && { distributed_foreground_insert: 1 }) } });
}

interface Row {
  id: string;
  spec: string;
  deleted: Num;
  created_ms: Num;
  updated_ms: Num;
}

const SELECT = `SELECT id, spec, deleted, toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(updated_at) AS updated_ms`;

function fromRow<T>(r: Row): StoredSpec<T> {
  return {
    id: r.id,
    spec: JSON.parse(r.spec) as T,
    deleted: Number(r.deleted) === 1,
    created_at: new Date(Number(r.created_ms)).toISOString(),
    updated_at: new Date(Number(r.updated_ms)).toISOString(),
  };
}

/** Every current spec, oldest first; tombstones too when `withDeleted` (for names in the delivery log). */
export async function listSpecs<T>(db: Db, table: ConfigTable, withDeleted = false): Promise<StoredSpec<T>[]> {
  const rows = await db.query<Row>(`${SELECT} FROM ${table} FINAL ${withDeleted ? '' : 'WHERE deleted = 0'} ORDER BY created_at, id`);
  return rows.map((r) => fromRow<T>(r));
}

export async function getSpec<T>(db: Db, table: ConfigTable, id: string): Promise<StoredSpec<T> | null> {
  const [row] = await db.query<Row>(`${SELECT} FROM ${table} FINAL WHERE id = {id:String} AND deleted = 0`, { id });
  return row ? fromRow<T>(row) : null;
}
