// Integration-test support: a real embedded ClickHouse in a fresh temporary directory
// (one engine per test process, as the engine allows), and small helpers.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '@/lib/server/clickhouse/client';
import { loadEnv } from '@/lib/server/env';
import { startRuntime, type Runtime } from '@/lib/server/runtime';

export function tempDir(prefix = 'txdrift-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Starts the process runtime on a new data directory; `env` adds variables. */
export async function startTestRuntime(env: Record<string, string> = {}): Promise<Runtime> {
  const dataDir = tempDir();
  return startRuntime(loadEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env }));
}

export async function count(db: Db, where = '1', params: Record<string, unknown> = {}): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(`SELECT count() AS n FROM events WHERE ${where}`, params);
  return Number(row?.n ?? 0);
}

/** Polls until `check` returns true (the spool flushes asynchronously). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

let seq = 0;
/** A valid event, unique event_id, event time a few seconds ago. */
export function event(extra: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return { event_id: `e-${process.pid}-${seq}`, tx_id: `tx-${seq % 7}`, service: 'api', operation: 'authorize', ts: Date.now() - 5_000, ...extra };
}

export const ndjson = (events: unknown[]): string => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
