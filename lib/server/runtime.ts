// The process-wide runtime: validated env and config, the one ClickHouse client, and the
// migration state. Kept on globalThis because Next bundles its own copy of this module
// while the custom server imports the source one; both must share one engine (the
// embedded engine allows one per process).
import 'server-only';
import type { TxdriftConfig } from '@/lib/domain/config';
import { loadConfig } from './config-file';
import { openDb, type Db } from './clickhouse/client';
import { migrate, type MigrationReport } from './clickhouse/migrations';
import { loadEnv, type Env } from './env';

export interface Runtime {
  env: Env;
  config: TxdriftConfig;
  db: Db;
  migrations: MigrationReport;
  startedAt: Date;
}

const KEY = Symbol.for('txdrift.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

/** Starts the runtime once per process (idempotent); later calls get the same one. */
export function startRuntime(env?: Env, config?: TxdriftConfig): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const e = env ?? loadEnv();
    const c = config ?? loadConfig(e.TXDRIFT_CONFIG);
    const db = await openDb(e);
    const migrations = await migrate(db, e.RETENTION_DAYS);
    return { env: e, config: c, db, migrations, startedAt: new Date() };
  })();
  holder[KEY].catch(() => delete holder[KEY]);
  return holder[KEY];
}

/** The runtime for route handlers: started by the server, or lazily under `next dev`. */
export const getRuntime = (): Promise<Runtime> => startRuntime();

export async function stopRuntime(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[KEY];
  delete holder[KEY];
  if (pending) await (await pending).db.close();
}
