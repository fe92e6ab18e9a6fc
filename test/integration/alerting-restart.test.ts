// A real restart in the middle of a delivery: txdrift processes (server.ts, roles ingest then
// worker) on one data directory; the worker is killed with SIGKILL while the receiver holds
// the firing webhook unanswered, and started again. The receiver must get the same
// notification again (same webhook-id, valid signature) and then nothing more: not lost,
// not doubled beyond the one unanswered try it can drop by its id.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecret } from '@/lib/server/alerting/sign';
import { eventually, freePort, tempDir } from '../support/engine';

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir('txdrift-alerting-restart-');
const secret = generateSecret();
const procs: ChildProcess[] = [];
const got: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    if (got.length > 1) res.writeHead(200).end('ok'); // the first one is never answered
  });
});

async function start(role: 'ingest' | 'worker', port: number, hookUrl: string): Promise<ChildProcess> {
  writeFileSync(
    path.join(dir, 'txdrift.yaml'),
    `detection:\n  rules:\n    - { signal: duplicate_execution, service: payments }\nalerting:\n  destinations:\n    - { id: hook, name: hook, type: webhook, url: "${hookUrl}", secret_env: RESTART_TEST_SECRET }\n`,
  );
  const proc = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/server-only-hook.mjs', 'server.ts'], {
    cwd: root,
    env: {
      ...process.env, NODE_ENV: 'production', TXDRIFT_ROLE: role, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(dir, 'data'), TXDRIFT_DEMO: '0',
      TXDRIFT_ALLOW_PRIVATE_WEBHOOKS: '1', TXDRIFT_CONFIG: path.join(dir, 'txdrift.yaml'), RESTART_TEST_SECRET: secret, LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  procs.push(proc);
  await eventually(async () => {
    if (proc.exitCode !== null) throw new Error(`${role} exited with ${proc.exitCode}`);
    return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
  }, 90_000);
  return proc;
}

const exited = (p: ChildProcess) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)));

afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  receiver.closeAllConnections();
  receiver.close();
});

describe('restart in the middle of a delivery (real processes)', () => {
  it('the firing notification arrives again after SIGKILL and restart, with the same id, and only once more', async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const port = await freePort();

    const ingest = await start('ingest', port, hookUrl);
    const t = Date.now() - 2_000;
    const events = [
      { event_id: 'p1-1', tx_id: 'p1', service: 'api', operation: 'create', state: 'pending', ts: t },
      { event_id: 'p1-2', tx_id: 'p1', service: 'payments', operation: 'capture', idempotency_key: 'p1-cap', ts: t + 100 },
      { event_id: 'p1-3', tx_id: 'p1', service: 'payments', operation: 'capture', idempotency_key: 'p1-cap', attempt: 2, ts: t + 300 },
    ];
    const res = await fetch(`http://127.0.0.1:${port}/v1/events`, { method: 'POST', body: events.map((e) => JSON.stringify(e)).join('\n'), headers: { 'content-type': 'application/x-ndjson' } });
    expect(await res.json()).toMatchObject({ accepted: 3 });
    ingest.kill('SIGTERM');
    await exited(ingest);

    const first = await start('worker', port, hookUrl);
    await eventually(async () => got.length >= 1, 60_000);
    first.kill('SIGKILL'); // while the receiver holds the request
    await exited(first);
    expect(got).toHaveLength(1);

    const second = await start('worker', port, hookUrl);
    await eventually(async () => got.length >= 2, 60_000);
    await new Promise((r) => setTimeout(r, 8_000)); // more passes and alerting rounds
    second.kill('SIGTERM');
    await exited(second);

    expect(got).toHaveLength(2);
    expect(got[1]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id']);
    for (const g of got) {
      const body = new Webhook(secret).verify(g.body, g.headers as Record<string, string>) as { type: string; data: { anomalies: { service: string; signal: string }[] } };
      expect(body.type).toBe('anomaly.firing');
      expect(body.data.anomalies[0]).toMatchObject({ service: 'payments', signal: 'duplicate_execution' });
    }
  }, 240_000);
});
