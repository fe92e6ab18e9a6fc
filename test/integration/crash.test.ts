// Durability: a 2xx means the events survive `kill -9` of the process right after the
// response. Starts the real server as a child process (ingest role, embedded engine),
// posts from concurrent clients, SIGKILLs it immediately after an acknowledgement, restarts
// it on the same data directory and counts every acknowledged event — each exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { decodeSegment } from '@/ingest/spool';
import { event, freePort, ndjson, tempDir } from '../support/engine';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = tempDir('txdrift-crash-');
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
});

function startServer(port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/server-only-hook.mjs', 'server.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), TXDRIFT_ROLE: 'ingest', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      if (proc.exitCode !== null) return reject(new Error(`server exited with ${proc.exitCode}`));
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return resolve(proc);
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) return reject(new Error('server did not become ready'));
      setTimeout(poll, 100);
    };
    void poll();
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged event across kill -9, exactly once', async () => {
    const port = await freePort();
    child = await startServer(port);
    const acknowledged: string[] = [];
    let killed = false;

    const client = async (id: number) => {
      for (let i = 0; !killed; i++) {
        const batch = Array.from({ length: 50 }, () => event({ tx_id: `crash-${id}-${i}` }));
        try {
          const res = await fetch(`http://127.0.0.1:${port}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson' },
            body: ndjson(batch),
          });
          if (res.ok) {
            acknowledged.push(...batch.map((e) => e.event_id as string));
            // Kill right after an acknowledgement, once enough traffic has flowed.
            if (acknowledged.length >= 3_000 && !killed) {
              killed = true;
              child!.kill('SIGKILL');
            }
          }
        } catch (err) {
          if (!killed) throw err; // in flight at the kill: never acknowledged, so not counted
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(client));
    await new Promise<void>((r) => (child!.exitCode !== null || child!.signalCode !== null ? r() : child!.once('exit', () => r())));
    expect(child.signalCode).toBe('SIGKILL');

    // The kill landed while acknowledged rows were only in the spool, not yet in ClickHouse.
    const spoolDir = path.join(dataDir, 'spool');
    const spooled = readdirSync(spoolDir)
      .filter((n) => n.endsWith('.wal'))
      .map((n) => decodeSegment(n, path.join(spoolDir, n), readFileSync(path.join(spoolDir, n))).rowCount)
      .reduce((a, b) => a + b, 0);
    expect(spooled).toBeGreaterThan(0);

    // Restart on the same data directory: the spool is replayed into ClickHouse.
    child = await startServer(port);
    child.kill('SIGTERM');
    await new Promise<void>((r) => child!.once('exit', () => r()));
    expect(child.exitCode).toBe(0);

    // Count in the engine directly (the server flushed everything on SIGTERM).
    const db = createClient({ connection: createChdbConnection({ path: path.join(dataDir, 'clickhouse') }) as never });
    const rs = await db.query({
      query: `SELECT count() AS rows, uniqExact(event_id) AS ids, countIf(has({acked:Array(String)}, event_id)) AS acked_rows
              FROM txdrift.events`,
      query_params: { acked: acknowledged },
      format: 'JSONEachRow',
    });
    const [stats] = await rs.json<{ rows: number; ids: number; acked_rows: number }>();
    await db.close();

    expect(Number(stats!.acked_rows)).toBe(acknowledged.length);
    expect(Number(stats!.rows)).toBe(Number(stats!.ids));
    expect(acknowledged.length).toBeGreaterThanOrEqual(3_000);
  }, 180_000);
});
