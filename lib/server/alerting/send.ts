// One HTTP POST attempt to a receiver: the SSRF guard at connect time, a per-attempt
// timeout (10 s by default) covering connect, upload and the whole answer, redirects never
// followed (node:http does not follow them; a 3xx is reported as is), at most 64 KiB of the
// answer read (for the log). Never logs or returns the URL, which may be a credential.
import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, literalHostProblem } from './ssrf';

export interface AttemptResult {
  /** HTTP status, or null when no answer arrived (network error, timeout, refused). */
  status: number | null;
  /** Retry-After header, as sent. */
  retryAfter: string | null;
  latencyMs: number;
  /** Short answer body (plain text such as Slack's `ok` or error strings), ≤ 500 characters. */
  body: string;
  error: string | null;
  /** The SSRF guard refused the address: not retried. */
  blocked?: boolean;
}

export interface SendOptions {
  timeoutMs?: number;
  allowPrivate: boolean;
  signal?: AbortSignal;
}

const MAX_BODY = 64 * 1024;

export function postJson(url: string, body: string, headers: Record<string, string>, o: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const u = new URL(url);
  const literal = literalHostProblem(u, o.allowPrivate);
  if (literal) return Promise.resolve({ status: null, retryAfter: null, latencyMs: 0, body: '', error: literal, blocked: true });
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<AttemptResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, latencyMs: elapsed() });
    };
    const req = lib.request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'txdrift-alerting/1', ...headers },
        lookup: guardedLookup(o.allowPrivate) as unknown as http.RequestOptions['lookup'],
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          const status = res.statusCode ?? null;
          const retryAfter = typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : null;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 500);
          const error = status !== null && status >= 300 && status < 400 ? `redirect to elsewhere not followed (HTTP ${status})` : null;
          finish({ status, retryAfter, body: text, error });
        });
        res.on('error', (err) => finish({ status: res.statusCode ?? null, retryAfter: null, body: '', error: `answer cut off: ${err.message}` }));
      },
    );
    const timeoutMs = o.timeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      finish({ status: null, retryAfter: null, body: '', error: `timed out after ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    const onAbort = () => {
      finish({ status: null, retryAfter: null, body: '', error: 'attempt interrupted (worker stopping)' });
      req.destroy();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({ status: null, retryAfter: null, body: '', error: describeNetworkError(err), blocked: err.code === 'ESSRF' }),
    );
    req.end(body);
  });
}

function describeNetworkError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ESSRF') return err.message;
  // err.message can carry the host; the code and syscall say enough without echoing a secret URL path.
  return `network error: ${err.code ?? err.name}${err.syscall ? ` (${err.syscall})` : ''}`;
}
