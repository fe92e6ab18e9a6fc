// The OpenAPI 3.1 description of txdrift's HTTP API, served at /api/v1/openapi.json. The
// event schema is generated from the zod contract, so the document cannot drift from ingest.
import 'server-only';
import { z } from 'zod';
import { FLAGS, RULES } from '@/lib/analysis/flags';
import { EventSchema } from '@/lib/domain/event';
import { alertingPaths, alertingSchemas } from './alerting/openapi';

const time = { type: 'string', description: 'ISO 8601 (UTC when no zone) or epoch milliseconds' };
const q = (name: string, schema: object, description: string, required = false) => ({ name, in: 'query', required, schema, description });
const error = { description: 'Bad parameter: the message names it', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const rate = { type: 'object', properties: { count: { type: 'integer' }, rate: { type: 'number' } } };

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'txdrift', version: '1', description: 'Transaction correctness drift: ingest, flags per transaction, per-minute signals.' },
    paths: {
      '/v1/events': {
        post: {
          summary: 'Ingest events (NDJSON or a JSON array, optionally gzip)',
          parameters: [
            { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 }, description: 'A retry with the same key within 24 h is not stored twice' },
          ],
          requestBody: {
            content: {
              'application/x-ndjson': { schema: { type: 'string', description: 'One event per line' } },
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Event' } } },
            },
          },
          responses: {
            200: json({ $ref: '#/components/schemas/IngestResult' }, 'Stored durably (valid lines); rejected lines listed'),
            400: json({ $ref: '#/components/schemas/IngestResult' }, 'Nothing valid'),
            401: error, 413: error, 415: error, 422: error,
            429: { description: 'Too many request bytes in flight; see Retry-After' },
            503: { description: 'Behind writing to ClickHouse; see Retry-After' },
          },
        },
      },
      '/api/v1/analysis/run': {
        post: { summary: 'Run one analysis pass now; answers when done', responses: { 200: json({ $ref: '#/components/schemas/PassSummary' }) } },
      },
      '/api/v1/transactions': {
        get: {
          summary: 'Flagged transactions whose first event lies in [from, to), newest first',
          parameters: [
            q('from', time, 'default: to minus 24 h'),
            q('to', time, 'default: now'),
            q('flag', { type: 'string', enum: FLAGS }, 'only this flag (default: any flag)'),
            q('service', { type: 'string' }, 'only transactions this service took part in'),
            q('tx_type', { type: 'string' }, 'only this transaction type'),
            q('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, 'page size'),
            q('cursor', { type: 'string' }, 'next_cursor of the previous page'),
          ],
          responses: {
            200: json({
              type: 'object',
              properties: { transactions: { type: 'array', items: { $ref: '#/components/schemas/TransactionSummary' } }, next_cursor: { type: 'string', description: 'absent on the last page' } },
            }),
            400: error,
          },
        },
      },
      '/api/v1/transactions/{tx_id}': {
        get: {
          summary: 'Every event of one transaction in timeline order, each service’s last state, and the flags with reasons and event ids',
          parameters: [{ name: 'tx_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json({ $ref: '#/components/schemas/TransactionDetail' }), 404: error },
        },
      },
      '/api/v1/signals': {
        get: {
          summary: 'Per-bucket signals: events, transactions, and count and rate of each flag',
          parameters: [
            q('from', time, 'default: to minus 24 h'),
            q('to', time, 'default: now'),
            q('step', { type: 'string', default: '1m', examples: ['1m', '5m', '1h', '1d'] }, 'bucket size; coarser steps sum counts exactly'),
            q('service', { type: 'string' }, 'one service (default: all services together)'),
          ],
          responses: { 200: json({ $ref: '#/components/schemas/SignalSeries' }), 400: error },
        },
      },
      '/api/v1/model/suggest': {
        get: {
          summary: 'Propose a transaction model from observed data, as YAML to review and save as TXDRIFT_CONFIG',
          parameters: [q('tx_type', { type: 'string' }, 'transaction type', true), q('days', { type: 'integer', default: 7, maximum: 90 }, 'how far back to look')],
          responses: { 200: json({ type: 'object', properties: { yaml: { type: 'string' } }, additionalProperties: true }), 400: error, 404: error },
        },
      },
      '/api/v1/anomalies': {
        get: {
          summary: 'Anomaly episodes overlapping [from, to) (default: the last 7 days), newest first',
          parameters: [
            q('from', time, 'default: to minus 7 days'),
            q('to', time, 'default: now'),
            q('status', { type: 'string', enum: ['open', 'resolved'] }, 'only open or resolved episodes'),
            q('signal', { type: 'string', enum: FLAGS }, 'one signal'),
            q('service', { type: 'string' }, 'one service, or "all" for the all-services series'),
          ],
          responses: { 200: json({ type: 'object', properties: { anomalies: { type: 'array', items: { $ref: '#/components/schemas/Anomaly' } } } }), 400: error },
        },
      },
      '/api/v1/anomalies/{id}': {
        get: {
          summary: 'One episode: its evidence, the per-minute series from an hour before to an hour after, and its affected transactions',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            q('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, 'affected transactions per page'),
            q('after', { type: 'string' }, 'next_after of the previous page'),
          ],
          responses: {
            200: json({
              type: 'object',
              properties: {
                anomaly: { $ref: '#/components/schemas/Anomaly' },
                series: { $ref: '#/components/schemas/SignalSeries' },
                affected: { type: 'object', properties: { total: { type: 'integer' }, tx_ids: { type: 'array', items: { type: 'string' } }, next_after: { type: 'string' } } },
              },
            }),
            404: error,
          },
        },
      },
      '/api/v1/status': { get: { summary: 'Storage mode and what has been stored', responses: { 200: json({ type: 'object' }) } } },
      '/api/v1/signals/bands': {
        get: {
          summary: 'The signals plus, per bucket and flag, the detector\u2019s expected rate and normal range (bands.<flag>: expected, lower, upper, anomalous, judged)',
          parameters: [
            q('from', time, 'default: to minus 24 h'), q('to', time, 'default: now'),
            q('step', { type: 'string', default: '1m' }, 'bucket size; at most 2000 buckets and 31 days'),
            q('service', { type: 'string' }, 'one service (default: all services together)'),
          ],
          responses: { 200: json({ $ref: '#/components/schemas/SignalSeries' }), 400: error },
        },
      },
      '/api/v1/breakdown': {
        get: {
          summary: 'Per service over [from, to): events, transactions, flagged, and count and rate of each flag; most flagged first',
          parameters: [q('from', time, 'default: to minus 24 h'), q('to', time, 'default: now')],
          responses: { 200: json({ type: 'object', properties: { services: { type: 'array', items: { type: 'object' } } } }), 400: error },
        },
      },
      '/api/v1/search': {
        get: {
          summary: 'Transactions whose id, any event id or any idempotency key equals q (exact), newest first, with their flags',
          parameters: [q('q', { type: 'string' }, 'the id to look for', true), q('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 50 }, 'most matches')],
          responses: { 200: json({ type: 'object', properties: { query: { type: 'string' }, matches: { type: 'array', items: { type: 'object' } } } }), 400: error },
        },
      },
      '/api/v1/models': { get: { summary: 'The transaction models configured in TXDRIFT_CONFIG, per tx_type (settle_after in ms)', responses: { 200: json({ type: 'object' }) } } },
      ...alertingPaths,
    },
    components: {
      schemas: {
        ...alertingSchemas,
        Event: z.toJSONSchema(EventSchema, { io: 'input', unrepresentable: 'any' }),
        Error: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } }, required: ['error', 'message'] },
        IngestResult: {
          type: 'object',
          properties: {
            request_id: { type: 'string' },
            accepted: { type: 'integer' },
            rejected: { type: 'integer' },
            warnings: { type: 'integer' },
            errors: { type: 'array', maxItems: 100, items: { type: 'object', properties: { line: { type: 'integer' }, field: { type: ['string', 'null'] }, message: { type: 'string' } } } },
          },
        },
        Reason: {
          type: 'object',
          properties: {
            flag: { type: 'string', enum: FLAGS },
            rule: { type: 'string', enum: Object.keys(RULES) },
            service: { type: 'string', description: 'the service the reason is attributed to' },
            detail: { type: 'string' },
            event_ids: { type: 'array', items: { type: 'string' } },
          },
        },
        TransactionSummary: {
          type: 'object',
          properties: {
            tx_id: { type: 'string' }, tx_type: { type: 'string' }, first_ts: { type: 'string' }, last_ts: { type: 'string' },
            services: { type: 'array', items: { type: 'string' } },
            flags: { type: 'array', items: { type: 'object', properties: { flag: { type: 'string' }, rule: { type: 'string' }, service: { type: 'string' }, reason: { type: 'string' } } } },
          },
        },
        TransactionDetail: {
          type: 'object',
          properties: {
            tx_id: { type: 'string' }, tx_type: { type: 'string' }, settled: { type: 'boolean' },
            flags: { type: 'array', items: { type: 'string', enum: FLAGS } },
            reasons: { type: 'array', items: { $ref: '#/components/schemas/Reason' } },
            last_states: { type: 'array', items: { type: 'object', properties: { service: { type: 'string' }, state: { type: 'string' }, event_id: { type: 'string' }, ts: { type: 'string' } } } },
            events: { type: 'array', items: { type: 'object', description: 'the stored event plus received_at and redelivered_copy', additionalProperties: true } },
          },
        },
        SignalSeries: {
          type: 'object',
          properties: {
            from: { type: 'string' }, to: { type: 'string' }, step_minutes: { type: 'integer' }, service: { type: ['string', 'null'] },
            buckets: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  ts: { type: 'string' }, events: { type: 'integer' }, transactions: { type: 'integer' }, unsettled: { type: 'integer' }, flagged: rate,
                  flags: { type: 'object', properties: Object.fromEntries(FLAGS.map((f) => [f, rate])) },
                },
              },
            },
          },
        },
        Anomaly: {
          type: 'object',
          properties: {
            id: { type: 'string' }, signal: { type: 'string', enum: FLAGS }, service: { type: 'string', description: 'empty: all services together' },
            status: { type: 'string', enum: ['open', 'resolved'] }, kind: { type: 'string', enum: ['spike', 'shift', 'rule'] },
            start: { type: 'string' }, last_anomalous: { type: 'string' }, resolved_at: { type: ['string', 'null'] },
            peak_score: { type: 'number', description: '0..1; 0.5 = p 1e-6' },
            observed: { type: 'number', description: 'rate at the peak bucket' }, expected: { type: 'number' }, lower: { type: 'number' }, upper: { type: 'number' },
            sample_size: { type: 'integer', description: 'transactions in the anomalous buckets' }, flagged: { type: 'integer' }, anomalous_buckets: { type: 'integer' },
            affected: { type: 'integer' }, sample_tx_ids: { type: 'array', items: { type: 'string' } },
            attribution: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' }, share: { type: 'number' }, lift: { type: 'number' } } } },
          },
        },
        PassSummary: {
          type: 'object',
          properties: {
            pass_id: { type: 'integer' }, full: { type: 'boolean' }, evaluated: { type: 'integer' }, duration_ms: { type: 'integer' }, watermark: { type: 'string' },
            raised: { type: 'object', additionalProperties: { type: 'integer' } }, cleared: { type: 'object', additionalProperties: { type: 'integer' } },
          },
        },
      },
    },
  };
}
