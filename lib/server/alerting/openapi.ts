// The alerting part of the OpenAPI document: destinations, rules, deliveries, notifications.
// Request bodies are generated from the zod schemas, so the document cannot drift from them.
import 'server-only';
import { z } from 'zod';
import { DELIVERY_STATUSES, DESTINATION_TYPES, DestinationCreateSchema, DestinationUpdateSchema, RuleCreateSchema, RuleUpdateSchema } from '@/lib/domain/alerting';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
const error = json(ref('Error'), 'The message names the bad field or parameter');
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const q = (name: string, schema: object, description: string) => ({ name, in: 'query', required: false, schema, description });
const str = { type: 'string' };
const nstr = { type: ['string', 'null'] };

export const alertingPaths = {
  '/api/v1/destinations': {
    get: { summary: 'Alert destinations (from the API and from TXDRIFT_CONFIG); secrets never shown', responses: { 200: json({ type: 'object', properties: { destinations: { type: 'array', items: ref('Destination') } } }) } },
    post: {
      summary: 'Create a destination; a webhook answers with its whsec_ secret, shown this once only. Without rules naming it, it receives every episode',
      requestBody: body(DestinationCreateSchema),
      responses: { 201: json({ allOf: [ref('Destination'), { type: 'object', properties: { secret: { type: 'string', description: 'webhook only, shown once' } } }] }, 'Created'), 400: error, 422: json(ref('Error'), 'URL refused by the SSRF guard') },
    },
  },
  '/api/v1/destinations/{id}': {
    patch: { summary: 'Change a destination made through the API', parameters: [id], requestBody: body(DestinationUpdateSchema), responses: { 200: json(ref('Destination')), 400: error, 404: error, 422: json(ref('Error'), 'Defined in TXDRIFT_CONFIG, or URL refused') } },
    delete: { summary: 'Delete a destination made through the API', parameters: [id], responses: { 204: { description: 'Deleted' }, 404: error, 422: error } },
  },
  '/api/v1/destinations/{id}/test': {
    post: { summary: 'Send a made-up episode now, once, and log the attempt', parameters: [id], responses: { 200: json({ type: 'object', properties: { delivery: ref('Delivery') } }), 404: error } },
  },
  '/api/v1/rules': {
    get: { summary: 'Routing rules (config rules have source "config" and are read-only)', responses: { 200: json({ type: 'object', properties: { rules: { type: 'array', items: ref('Rule') } } }) } },
    post: { summary: 'Create a rule', requestBody: body(RuleCreateSchema), responses: { 201: json(ref('Rule'), 'Created'), 400: error } },
  },
  '/api/v1/rules/{id}': {
    patch: { summary: 'Change a rule', parameters: [id], requestBody: body(RuleUpdateSchema), responses: { 200: json(ref('Rule')), 400: error, 404: error, 422: error } },
    delete: { summary: 'Delete a rule', parameters: [id], responses: { 204: { description: 'Deleted' }, 404: error, 422: error } },
  },
  '/api/v1/deliveries': {
    get: {
      summary: 'Every delivery attempt, newest first',
      parameters: [
        q('anomaly_id', str, 'attempts for this episode'), q('destination_id', str, 'attempts to this destination'), q('notification_id', str, 'attempts of this notification'),
        q('status', { type: 'string', enum: DELIVERY_STATUSES }, 'only this outcome'), q('from', str, 'ISO 8601 or epoch ms'), q('to', str, 'ISO 8601 or epoch ms'),
        q('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, 'page size'), q('cursor', str, 'next_cursor of the previous page'),
      ],
      responses: { 200: json({ type: 'object', properties: { deliveries: { type: 'array', items: ref('Delivery') }, next_cursor: nstr } }), 400: error },
    },
  },
  '/api/v1/notifications': {
    get: {
      summary: 'Notifications (one per episode transition), newest first, with each destination\'s outcome',
      parameters: [q('anomaly_id', str, 'one episode'), q('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, 'at most this many')],
      responses: { 200: json({ type: 'object', properties: { notifications: { type: 'array', items: ref('Notification') } } }), 400: error },
    },
  },
};

export const alertingSchemas = {
  Destination: {
    type: 'object',
    properties: {
      id: str, name: str, type: { type: 'string', enum: DESTINATION_TYPES }, source: { type: 'string', enum: ['api', 'config'] },
      url_redacted: { type: 'string', description: 'query strings and Slack paths hidden' }, enabled: { type: 'boolean' }, has_template: { type: 'boolean' },
      header_names: { type: 'array', items: str }, routing_key_redacted: { type: ['string', 'null'], description: 'pagerduty only' },
      problem: { type: 'string', description: 'why it cannot send (e.g. an unset environment variable)' }, created_at: str, updated_at: str,
      last_delivery: { type: ['object', 'null'], properties: { status: { type: 'string', enum: DELIVERY_STATUSES }, at: str, http_status: { type: ['integer', 'null'] } } },
    },
  },
  Rule: {
    type: 'object',
    properties: {
      id: str, name: str, source: { type: 'string', enum: ['api', 'config'] },
      match: { type: 'object', properties: { signal: nstr, service: nstr, tx_type: nstr, min_score: { type: ['number', 'null'] } } },
      destination_ids: { type: 'array', items: str }, muted_until: nstr, group_wait_ms: { type: 'integer' }, repeat_interval_ms: { type: ['integer', 'null'] },
      enabled: { type: 'boolean' }, created_at: str, updated_at: str,
    },
  },
  Delivery: {
    type: 'object',
    properties: {
      id: str, notification_id: str, anomaly_id: nstr, anomaly_ids: { type: 'array', items: str }, destination_id: str, destination_name: str,
      destination_type: { type: 'string', enum: DESTINATION_TYPES }, transition: { type: 'string', enum: ['firing', 'resolved', 'test'] }, attempt: { type: 'integer' },
      status: { type: 'string', enum: DELIVERY_STATUSES }, http_status: { type: ['integer', 'null'] }, latency_ms: { type: ['integer', 'null'] }, error: nstr, at: str, next_attempt_at: nstr,
    },
  },
  Notification: {
    type: 'object',
    properties: {
      id: { type: 'string', description: 'stable per (episode, transition): webhook-id, Idempotency-Key' }, anomaly_id: str,
      transition: { type: 'string', enum: ['firing', 'resolved'] }, repeat: { type: 'integer' }, created_at: str,
      destinations: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            destination_id: str, destination_name: str, destination_type: nstr, status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
            attempts: { type: 'integer' }, last_error: nstr, last_attempt_at: nstr,
          },
        },
      },
    },
  },
};
