// Alerting contract: destinations, rules and the query parameters of the delivery log, as zod
// schemas shared by the API routes, the config file and tests. The shapes the API answers
// with are declared here too, so the UI can import them as types. Pure.
import { z } from 'zod';
import { FLAGS } from '@/lib/analysis/flags';
import { DurationMsSchema } from './duration';

export const DESTINATION_TYPES = ['webhook', 'slack', 'pagerduty', 'alertmanager', 'alertmanager_api'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

const name = z.string().trim().min(1, { error: 'expected 1 to 128 characters' }).max(128, { error: 'expected 1 to 128 characters' });
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL such as https://hooks.example.com/txdrift' })
  .max(2048, { error: 'expected at most 2048 characters' });
const routingKey = z.string().trim().min(1).max(128, { error: 'expected at most 128 characters' });
/** A body template: JSON text with {{path}} placeholders (see alerting-template.ts); ≤ 20,000 characters. */
const template = z.string().min(2).max(20_000, { error: 'expected at most 20,000 characters' });
const RESERVED_HEADERS = /^(webhook-.*|content-type|content-length|host|idempotency-key|transfer-encoding|connection)$/i;
const headers = z
  .record(
    z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'expected a header name of letters, digits and -' }).refine((h) => !RESERVED_HEADERS.test(h), {
      error: 'is set by txdrift and cannot be overridden',
    }),
    z.string().max(1024).regex(/^[^\r\n]*$/, { error: 'expected one line' }),
  )
  .refine((h) => Object.keys(h).length <= 20, { error: 'expected at most 20 headers' });

/** Forms send empty fields as "": they mean "not given". */
const blankIsAbsent = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

export const DestinationCreateSchema = z
  .strictObject({
    name,
    type: z.enum(DESTINATION_TYPES, { error: `expected one of ${DESTINATION_TYPES.join(', ')}` }),
    /** Receiver URL; for pagerduty defaults to the Events API v2 endpoint. */
    url: blankIsAbsent(httpUrl),
    enabled: z.boolean().default(true),
    routing_key: blankIsAbsent(routingKey),
    template: blankIsAbsent(template),
    headers: headers.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.type !== 'pagerduty' && !d.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `required for type ${d.type}` });
    if (d.type === 'pagerduty' && !d.routing_key) ctx.addIssue({ code: 'custom', path: ['routing_key'], message: 'required for type pagerduty (the integration key)' });
    if (d.type !== 'pagerduty' && d.routing_key) ctx.addIssue({ code: 'custom', path: ['routing_key'], message: 'only for type pagerduty' });
    if (d.type !== 'webhook' && d.template) ctx.addIssue({ code: 'custom', path: ['template'], message: 'only for type webhook' });
  })
  .transform((d) => ({ ...d, url: d.url ?? PAGERDUTY_EVENTS_URL }));
export type DestinationCreate = z.output<typeof DestinationCreateSchema>;

export const DestinationUpdateSchema = z.strictObject({
  name: name.optional(),
  url: httpUrl.optional(),
  enabled: z.boolean().optional(),
  routing_key: routingKey.optional(),
  /** null removes the template. */
  template: template.nullable().optional(),
  headers: headers.optional(),
});
export type DestinationUpdate = z.output<typeof DestinationUpdateSchema>;

const nullableText = z.string().trim().min(1).max(128).nullable().default(null);

export const RuleMatchSchema = z.strictObject({
  signal: z.enum(FLAGS, { error: `expected one of ${FLAGS.join(', ')}` }).nullable().default(null),
  /** A service name; `all` for the all-services series; null matches any. */
  service: nullableText,
  tx_type: nullableText,
  /** Minimum peak score (0–1; 0.5 is p ≤ 1e-6). */
  min_score: z.number().min(0).max(1, { error: 'expected a score from 0 to 1' }).nullable().default(null),
});
export type RuleMatch = z.output<typeof RuleMatchSchema>;

const isoTime = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as 2026-12-01T08:00:00Z' });
const groupWait = z.number().int().min(0).max(600_000, { error: 'expected 0 to 600000 ms (10 minutes)' });
const repeatInterval = z.number().int().min(60_000, { error: 'expected at least 60000 ms (1 minute)' }).max(7 * 86_400_000).nullable();

export const RuleCreateSchema = z.strictObject({
  name,
  match: RuleMatchSchema.default(RuleMatchSchema.parse({})),
  destination_ids: z.array(z.string().min(1).max(128)).min(1, { error: 'expected at least one destination id' }).max(50),
  muted_until: isoTime.nullable().default(null),
  group_wait_ms: groupWait.default(0),
  repeat_interval_ms: repeatInterval.default(null),
  enabled: z.boolean().default(true),
});
export type RuleCreate = z.output<typeof RuleCreateSchema>;

export const RuleUpdateSchema = z.strictObject({
  name: name.optional(),
  match: RuleMatchSchema.optional(),
  destination_ids: z.array(z.string().min(1).max(128)).min(1).max(50).optional(),
  muted_until: isoTime.nullable().optional(),
  group_wait_ms: groupWait.optional(),
  repeat_interval_ms: repeatInterval.optional(),
  enabled: z.boolean().optional(),
});
export type RuleUpdate = z.output<typeof RuleUpdateSchema>;

/** `alerting:` in TXDRIFT_CONFIG. Secrets are named by environment variable, never written inline. */
const configId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected 1 to 64 letters, digits, _ or -' });
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, { error: 'expected an environment variable name such as TXDRIFT_WEBHOOK_SECRET' });
export const ConfigDestinationSchema = z.strictObject({
  id: configId,
  name,
  type: z.enum(DESTINATION_TYPES, { error: `expected one of ${DESTINATION_TYPES.join(', ')}` }),
  url: httpUrl.optional(),
  /** Environment variable holding the URL (for Slack, whose URL is the credential). */
  url_env: envName.optional(),
  /** Environment variable holding the whsec_ secret (webhook). */
  secret_env: envName.optional(),
  /** Environment variable holding the PagerDuty integration key. */
  routing_key_env: envName.optional(),
  template: template.optional(),
  headers: headers.optional(),
  enabled: z.boolean().default(true),
});
export const ConfigRuleSchema = z.strictObject({
  id: configId,
  name,
  match: RuleMatchSchema.default(RuleMatchSchema.parse({})),
  destinations: z.array(z.string().min(1).max(128)).min(1),
  muted_until: isoTime.nullable().default(null),
  group_wait: DurationMsSchema.default(0),
  repeat_interval: DurationMsSchema.nullable().default(null),
  enabled: z.boolean().default(true),
});
export const AlertingConfigSchema = z
  .strictObject({
    destinations: z.array(ConfigDestinationSchema).default([]),
    rules: z.array(ConfigRuleSchema).default([]),
  })
  .superRefine((a, ctx) => {
    a.destinations.forEach((d, i) => {
      if (d.type !== 'pagerduty' && !d.url && !d.url_env) ctx.addIssue({ code: 'custom', path: ['destinations', i, 'url'], message: `url or url_env is required for type ${d.type}` });
      if (d.type === 'pagerduty' && !d.routing_key_env) ctx.addIssue({ code: 'custom', path: ['destinations', i, 'routing_key_env'], message: 'required for type pagerduty' });
      if (d.url && d.url_env) ctx.addIssue({ code: 'custom', path: ['destinations', i, 'url_env'], message: 'give url or url_env, not both' });
    });
    const ids = new Set(a.destinations.map((d) => d.id));
    a.rules.forEach((r, i) =>
      r.destinations.forEach((d, j) => {
        // Destinations made through the API (dst_…) are checked when the rule is used.
        if (!ids.has(d) && !d.startsWith('dst_')) {
          ctx.addIssue({ code: 'custom', path: ['rules', i, 'destinations', j], message: `no destination "${d}" in alerting.destinations (${[...ids].join(', ') || 'none'})` });
        }
      }),
    );
  });
export type AlertingConfig = z.output<typeof AlertingConfigSchema>;

const LIMIT_ERROR = { error: 'expected an integer from 1 to 1000' };
const time = z.string().transform((v, ctx) => {
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `expected an ISO 8601 time or epoch milliseconds, got "${v}"` });
    return z.NEVER;
  }
  return ms;
});
export const DELIVERY_STATUSES = ['delivered', 'failed', 'retrying'] as const;
export const DeliveryListQuerySchema = z.object({
  anomaly_id: z.string().min(1).max(128).optional(),
  destination_id: z.string().min(1).max(128).optional(),
  notification_id: z.string().min(1).max(128).optional(),
  status: z.enum(DELIVERY_STATUSES, { error: `expected one of ${DELIVERY_STATUSES.join(', ')}` }).optional(),
  from: time.optional(),
  to: time.optional(),
  limit: z.coerce.number(LIMIT_ERROR).int(LIMIT_ERROR).min(1, LIMIT_ERROR).max(1000, LIMIT_ERROR).default(100),
  cursor: z.string().max(200).optional(),
});
export type DeliveryListQuery = z.output<typeof DeliveryListQuerySchema>;

export const NotificationListQuerySchema = z.object({
  anomaly_id: z.string().min(1).max(128).optional(),
  limit: z.coerce.number(LIMIT_ERROR).int(LIMIT_ERROR).min(1, LIMIT_ERROR).max(1000, LIMIT_ERROR).default(100),
});

// ---- shapes the API answers with -------------------------------------------------------

export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type Transition = 'firing' | 'resolved' | 'test';

export interface Destination {
  id: string;
  name: string;
  type: DestinationType;
  source: 'api' | 'config';
  url_redacted: string;
  enabled: boolean;
  has_template: boolean;
  header_names: string[];
  created_at: string;
  updated_at: string;
  last_delivery: { status: DeliveryStatus; at: string; http_status: number | null } | null;
}

export interface Rule {
  id: string;
  name: string;
  source: 'api' | 'config';
  match: RuleMatch;
  destination_ids: string[];
  muted_until: string | null;
  group_wait_ms: number;
  repeat_interval_ms: number | null;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface Delivery {
  id: string;
  notification_id: string;
  anomaly_id: string | null;
  anomaly_ids: string[];
  destination_id: string;
  destination_name: string;
  destination_type: DestinationType;
  transition: Transition;
  attempt: number;
  status: DeliveryStatus;
  http_status: number | null;
  latency_ms: number | null;
  error: string | null;
  at: string;
  next_attempt_at: string | null;
}

/** Every problem of a failed parse as `path: message` (unknown fields and bad record keys named), joined by "; ". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap((i) => {
      const at = (extra: PropertyKey[] = []) => [...i.path, ...extra].map(String).join('.') || 'body';
      if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${at([k])}: unknown field`);
      if (i.code === 'invalid_key') return [`${at()}: ${i.issues.map((n) => n.message).join(', ')}`];
      return [`${at()}: ${i.message}`];
    })
    .join('; ');
}

