// The simulator's HTTP client against a real receiver on 127.0.0.1 scripted per request:
// what it retries and how long it waits, what it refuses to retry, and when it gives up.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimEvent } from '@/lib/sim/tx-builder';
import { IngestSender, retryAfter, SendError } from './sender';

type Reply = (res: ServerResponse) => void;
const seen: { key: string; auth: string; lines: number }[] = [];
let close: () => void = () => {};

async function receiver(replies: Reply[]): Promise<string> {
  seen.length = 0;
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks);
    seen.push({ key: String(req.headers['idempotency-key']), auth: String(req.headers.authorization ?? ''), lines: body.toString().trim().split('\n').length });
    (replies[seen.length - 1] ?? ok)(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}
afterEach(() => close());

const ok: Reply = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":2,"rejected":0}');
const status = (code: number, headers: Record<string, string> = {}, message = 'no'): Reply => (res) =>
  res.writeHead(code, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: 'x', message }));
const events = [{ event_id: 'a' }, { event_id: 'b' }] as SimEvent[];

function sender(url: string, waits: number[], extra = {}) {
  return new IngestSender({ url, keyPrefix: 'k', token: 'secret-token-123456', random: () => 0.5, sleep: async (ms) => void waits.push(ms), ...extra });
}

describe('IngestSender', () => {
  it('retries 429 and 503 with the same key, waiting at least Retry-After, with jittered backoff otherwise', async () => {
    const waits: number[] = [];
    const s = sender(await receiver([status(429, { 'retry-after': '3' }), status(503), status(502), ok]), waits);
    await s.send(events);
    expect(seen.map((x) => x.key)).toEqual(['k-1', 'k-1', 'k-1', 'k-1']);
    expect(seen.every((x) => x.auth === 'Bearer secret-token-123456' && x.lines === 2)).toBe(true);
    expect(waits).toEqual([3000, 250, 500]); // max(Retry-After, jitter); then 0.5 × 500 and 0.5 × 1000
    expect(s.stats).toMatchObject({ batches: 1, events: 2, accepted: 2, retries: 3, retriedOn: { '429': 1, '503': 1, '502': 1 } });
    await s.send(events);
    expect(seen.at(-1)!.key).toBe('k-2');
  });

  it('does not retry an answer that will not change, and says what the server said', async () => {
    const s = sender(await receiver([status(401, {}, 'missing or wrong bearer token')]), []);
    const err = await s.send(events).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as Error).message).toMatch(/refused a batch with 401: missing or wrong bearer token \(pass the server’s INGEST_TOKEN with --token\)/);
    expect(seen).toHaveLength(1);
  });

  it('gives up after maxAttempts, naming the status', async () => {
    const waits: number[] = [];
    const s = sender(await receiver([status(503), status(503), status(503)]), waits, { maxAttempts: 3 });
    await expect(s.send(events)).rejects.toThrow(/kept answering 503; gave up after 3 attempts/);
    expect(waits).toHaveLength(2);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfter('2')).toBe(2000);
    expect(retryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfter('soon')).toBe(0);
    expect(retryAfter(null)).toBe(0);
  });
});
