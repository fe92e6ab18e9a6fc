// A real webhook receiver on 127.0.0.1 for the alerting tests: records every request
// (headers, raw body, the status it answered, arrival time) and answers the n-th one
// (0-based) as `answer(n, headers)` says; `hold` keeps an answer back until release().
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received { headers: IncomingHttpHeaders; body: string; status: number; at: number }
export interface Answer { status: number; hold?: boolean; headers?: Record<string, string> }
export interface Receiver {
  port: number;
  url: string;
  got: Received[];
  /** The requests answered with 2xx. */
  accepted: () => Received[];
  release: () => void;
  close: () => Promise<void>;
}

export async function receiver(answer: (n: number, headers: IncomingHttpHeaders) => Answer = () => ({ status: 200 })): Promise<Receiver> {
  const got: Received[] = [];
  const held: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const a = answer(got.length, req.headers);
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: a.status, at: Date.now() });
      const reply = () => res.writeHead(a.status, a.headers).end(a.status < 300 ? 'ok' : 'nope');
      if (a.hold) held.push(reply);
      else reply();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    got,
    accepted: () => got.filter((g) => g.status < 300),
    release: () => held.splice(0).forEach((f) => f()),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
