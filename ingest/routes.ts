// HTTP intake: POST /v1/events. Order of checks, cheapest first and before the body is
// read where possible: auth → backpressure → content type → size → decode → validate →
// idempotency → durable store. Registered as an encapsulated Fastify plugin so its body
// parsers never touch the UI's routes.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody } from '@/lib/server/errors';
import { isValidIdempotencyKey } from './idempotency';
import type { Ingestor } from './ingestor';
import { parseJsonArray, parseNdjson, type ParsedBatch } from './parse';

export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Request bodies being read or parsed at once, across requests; beyond it new requests get 429. */
export const MAX_INFLIGHT_BYTES = 192 * 1024 * 1024;
const RETRY_AFTER_S = 2;
const gunzipAsync = promisify(gunzip);

export interface IngestRouteOptions {
  ingestor: Ingestor;
  token: string | undefined;
  retentionDays: number;
}

export async function ingestRoutes(app: FastifyInstance, opts: IngestRouteOptions): Promise<void> {
  const { ingestor } = opts;
  const expectedToken = opts.token ? sha256(opts.token) : null;
  let inflightBytes = 0;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/x-ndjson', 'application/json'], { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('*', (req, _payload, done) =>
    done(new AppError('unsupported_media_type', `Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted: send application/x-ndjson (one event per line) or application/json (an array of events)`), undefined),
  );

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    const mapped =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? new AppError('payload_too_large', `request body is over the ${MAX_BODY_BYTES / 1048576} MiB limit: split it into several requests`)
        : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'
          ? new AppError('bad_request', 'empty body: expected NDJSON lines or a JSON array of events')
          : err;
    if (!(mapped instanceof AppError)) app.log.error({ err }, 'ingest request failed');
    send(reply, mapped);
  });

  app.addHook('onRequest', async (req, reply) => {
    if (expectedToken) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? sha256(header.slice(7)) : Buffer.alloc(32);
      if (!timingSafeEqual(given, expectedToken)) {
        reply.header('www-authenticate', 'Bearer realm="txdrift ingest"');
        throw new AppError('unauthorized', 'missing or wrong bearer token: send Authorization: Bearer <INGEST_TOKEN>');
      }
    }
    if (ingestor.isBehind()) {
      reply.header('retry-after', String(RETRY_AFTER_S));
      throw new AppError('unavailable', 'ingest is behind writing to ClickHouse; retry after the Retry-After delay');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (inflightBytes + declared > MAX_INFLIGHT_BYTES) {
      reply.header('retry-after', String(RETRY_AFTER_S));
      throw new AppError('too_many_requests', 'too many request bytes in flight; retry after the Retry-After delay');
    }
    inflightBytes += declared;
    reply.raw.once('close', () => (inflightBytes -= declared));
  });

  app.addHook('onResponse', async (_req, reply) => {
    ingestor.metrics.requests.inc({ status: String(reply.statusCode) });
  });

  app.post('/v1/events', async (req, reply) => {
    const received = Date.now();
    const raw = req.body as Buffer | undefined;
    if (!raw || raw.length === 0) throw new AppError('bad_request', 'empty body: expected NDJSON lines or a JSON array of events');
    const body = await decode(raw, req.headers['content-encoding']);

    const key = header(req, 'idempotency-key');
    if (key === undefined) return send(reply, await accept(req, body, received));
    if (!isValidIdempotencyKey(key)) throw new AppError('bad_request', 'Idempotency-Key must be 1–255 visible ASCII characters');
    const bodySha = sha256(body).toString('hex');
    return ingestor.idempotency.exclusive(key, async () => {
      const earlier = await ingestor.idempotency.find(key, received);
      if (earlier) {
        if (earlier.sha256 !== bodySha) {
          throw new AppError('conflict', 'this Idempotency-Key was already used with a different body in the last 24 hours');
        }
        reply.header('idempotent-replayed', 'true');
        return reply.code(200).type('application/json').send(earlier.response);
      }
      return send(reply, await accept(req, body, received, { key, sha256: bodySha }));
    });
  });

  async function accept(
    req: FastifyRequest,
    body: Buffer,
    received: number,
    idem?: { key: string; sha256: string },
  ): Promise<ParsedBatch & { requestId: string } | AppError> {
    const requestId = randomUUID();
    const parseOpts = { nowMs: received, maxAgeMs: opts.retentionDays * 86_400_000, requestId };
    const isNdjson = (req.headers['content-type'] ?? '').startsWith('application/x-ndjson');
    const parsed = isNdjson ? parseNdjson(body, parseOpts) : parseJsonArray(body, parseOpts);
    if ('fatal' in parsed) return new AppError('bad_request', parsed.fatal);
    ingestor.metrics.eventsRejected.inc(parsed.rejected);
    const result = responseBody(parsed, requestId);
    if (parsed.accepted === 0) {
      const message = parsed.rejected === 0 ? 'no events in the body' : 'no valid event in the request: nothing was stored';
      return new AppError('bad_request', message, result);
    }
    await ingestor.store({
      requestId,
      rowCount: parsed.accepted,
      rows: parsed.rows,
      idempotency: idem && { ...idem, response: JSON.stringify(result), atMs: received },
    });
    ingestor.metrics.eventsAccepted.inc(parsed.accepted);
    return { ...parsed, requestId };
  }
}

function responseBody(p: ParsedBatch, requestId: string) {
  return {
    request_id: requestId,
    accepted: p.accepted,
    rejected: p.rejected,
    warnings: p.warnings,
    errors: p.errors,
    ...(p.warningDetails.length > 0 && { warning_details: p.warningDetails }),
  };
}

function send(reply: FastifyReply, result: (ParsedBatch & { requestId: string }) | AppError | Error) {
  if (result instanceof Error) {
    const { status, body } = errorBody(result);
    return reply.code(status).send(body);
  }
  return reply.code(200).send(responseBody(result, result.requestId));
}

async function decode(raw: Buffer, encoding: string | undefined): Promise<Buffer> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return raw;
  if (enc !== 'gzip') throw new AppError('unsupported_media_type', `Content-Encoding ${JSON.stringify(encoding)} is not accepted: use gzip or none`);
  try {
    return await gunzipAsync(raw, { maxOutputLength: MAX_BODY_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new AppError('payload_too_large', `decompressed body is over the ${MAX_BODY_BYTES / 1048576} MiB limit: split it into several requests`);
    }
    throw new AppError('bad_request', `body is not valid gzip: ${(err as Error).message}`);
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
