// The one ClickHouse factory: an official @clickhouse/client either on the embedded engine
// (chdb, in-process, data in DATA_DIR) or over HTTP to a server (CLICKHOUSE_URL). All SQL
// is shared; only the raw insert differs in transport (chdb hands the bytes to the engine
// zero-copy, the HTTP client streams them).
//
// Rule for callers: never pass `clickhouse_settings`. On the embedded engine the client
// turns them into session-wide `SET`s that outlive the query; put settings in the SQL's
// own SETTINGS clause instead (insertRaw does this for inserts).
import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection, type ChdbConnection } from 'chdb/connection';
import type { Env } from '@/lib/server/env';

export type QueryParams = Record<string, unknown>;
export type InsertSettings = Record<string, string | number>;

export interface RawInsert {
  table: string;
  format: 'JSONEachRow' | 'TabSeparated';
  /** Column order of the rows; all columns in table order when omitted. */
  columns?: readonly string[];
  body: Buffer;
  settings: InsertSettings;
}

export interface Db {
  readonly mode: 'embedded' | 'server';
  readonly database: string;
  readonly cluster: string | null;
  readonly client: ClickHouseClient;
  /** Rows of a SELECT as objects; 64-bit integers may arrive as numbers (embedded) or strings (server). */
  query<T>(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<T[]>;
  /** A statement without result rows (DDL, INSERT … SELECT). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Inserts already-serialised rows; `settings` apply to this insert only. */
  insertRaw(insert: RawInsert): Promise<void>;
  close(): Promise<void>;
}

export type DbTarget = Pick<Env, 'mode' | 'dataDir' | 'CLICKHOUSE_URL' | 'CLICKHOUSE_USER' | 'CLICKHOUSE_PASSWORD' | 'CLICKHOUSE_DATABASE' | 'CLICKHOUSE_CLUSTER'>;

export async function openDb(target: DbTarget): Promise<Db> {
  return target.mode === 'embedded' ? openEmbedded(target) : openServer(target);
}

async function openEmbedded(target: DbTarget): Promise<Db> {
  const dir = path.join(/*turbopackIgnore: true*/ target.dataDir, 'clickhouse');
  mkdirSync(dir, { recursive: true });
  const connection: ChdbConnection = createChdbConnection({ path: dir });
  // chdb types its connection against @clickhouse/client-common, the client against its own
  // bundled copy of the same interface: identical shapes, distinct declarations.
  type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
  const client = createClient({ connection: connection as unknown as ClientConnection });
  const db = wrap(client, 'embedded', target.CLICKHOUSE_DATABASE, null, async (i) => {
    await connection.chdb.rawInsert({ table: i.table, columns: i.columns, values: i.body, format: i.format, settings: i.settings });
  });
  // The embedded engine is one session: choose its database once.
  await db.command(`CREATE DATABASE IF NOT EXISTS ${target.CLICKHOUSE_DATABASE}`);
  await db.command(`USE ${target.CLICKHOUSE_DATABASE}`);
  return db;
}

async function openServer(target: DbTarget): Promise<Db> {
  const admin = createClient({ url: target.CLICKHOUSE_URL, username: target.CLICKHOUSE_USER, password: target.CLICKHOUSE_PASSWORD });
  const onCluster = target.CLICKHOUSE_CLUSTER ? ` ON CLUSTER ${target.CLICKHOUSE_CLUSTER}` : '';
  await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${target.CLICKHOUSE_DATABASE}${onCluster}`, clickhouse_settings: { wait_end_of_query: 1 } });
  await admin.close();
  const client = createClient({
    url: target.CLICKHOUSE_URL,
    username: target.CLICKHOUSE_USER,
    password: target.CLICKHOUSE_PASSWORD,
    database: target.CLICKHOUSE_DATABASE,
    application: 'txdrift',
    request_timeout: 300_000,
    keep_alive: { enabled: true, idle_socket_ttl: 2_500 },
    // Long analysis queries behind a load balancer: keep the connection visibly alive.
    clickhouse_settings: { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: '110000' },
  });
  return wrap(client, 'server', target.CLICKHOUSE_DATABASE, target.CLICKHOUSE_CLUSTER ?? null, async (i) => {
    // exec() streams the bytes as they are (insert() would re-encode JSON rows).
    const { stream } = await client.exec({
      query: `INSERT INTO ${i.table}${i.columns ? ` (${i.columns.join(', ')})` : ''} FORMAT ${i.format}`,
      values: Readable.from([i.body]),
      clickhouse_settings: i.settings,
    });
    stream.resume();
  });
}

function wrap(
  client: ClickHouseClient,
  mode: Db['mode'],
  database: string,
  cluster: string | null,
  insertRaw: Db['insertRaw'],
): Db {
  return {
    mode,
    database,
    cluster,
    client,
    insertRaw,
    async query<T>(sql: string, params?: QueryParams, signal?: AbortSignal) {
      const rs = await client.query({ query: sql, query_params: params, format: 'JSONEachRow', abort_signal: signal });
      return rs.json<T>();
    },
    async command(sql: string, params?: QueryParams) {
      await client.command({ query: sql, query_params: params });
    },
    close: () => client.close(),
  };
}
