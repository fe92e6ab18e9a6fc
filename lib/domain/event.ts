// The event contract of DESIGN.md as one zod schema, plus the normalisation ingest applies
// after validation (timestamps to epoch microseconds, unknown top-level fields moved under
// `attributes`). Pure: imports nothing from server, react or next.
import { z } from 'zod';
import { isSurelyValidEvent } from './event-fast';
import { EVENT_LIMITS } from './event-limits';

export { EVENT_LIMITS };

/** RFC 3339 date-time; `T`, `t` or a space between date and time; offset required. */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const TS_EXPECTED = 'expected an RFC 3339 date-time with offset (2026-01-01T12:00:00.123Z) or epoch milliseconds (a non-negative integer)';

const text = (min: number, max: number) =>
  z.string({ error: (i) => (i.input === undefined ? 'required' : `expected a string, got ${typeOf(i.input)}`) })
    .min(min, { error: min === 1 ? 'must not be empty' : `must have at least ${min} characters` })
    .max(max, { error: `must have at most ${max} characters` });

const optionalText = (max: number) => text(0, max).nullish();

const attributeValue = z.union([z.string().max(EVENT_LIMITS.attributeValueChars), z.number(), z.boolean()], {
  error: (i) => `expected a string (up to ${EVENT_LIMITS.attributeValueChars} characters), number or boolean, got ${typeOf(i.input)}`,
});

const integer = (min: number, max: number) =>
  z.number({ error: (i) => `expected an integer, got ${typeOf(i.input)}` })
    .int({ error: 'expected an integer' })
    .min(min, { error: `must be ≥ ${min}` })
    .max(max, { error: `must be ≤ ${max}` });

export const EventSchema = z.looseObject({
  event_id: text(1, EVENT_LIMITS.eventIdChars),
  tx_id: text(1, EVENT_LIMITS.txIdChars),
  service: text(1, EVENT_LIMITS.nameChars),
  operation: text(1, EVENT_LIMITS.nameChars),
  ts: z.union([z.string().regex(RFC3339, { error: TS_EXPECTED }), z.number().int({ error: TS_EXPECTED }).nonnegative({ error: TS_EXPECTED })], {
    error: (i) => (i.input === undefined ? 'required' : TS_EXPECTED),
  }),
  tx_type: text(1, EVENT_LIMITS.nameChars).nullish(),
  state: optionalText(EVENT_LIMITS.nameChars),
  status: z.enum(['ok', 'error'], { error: 'expected "ok" or "error"' }).nullish(),
  seq: integer(0, Number.MAX_SAFE_INTEGER).nullish(),
  idempotency_key: optionalText(EVENT_LIMITS.keyChars),
  attempt: integer(1, 4_294_967_295).nullish(),
  causation_id: optionalText(EVENT_LIMITS.eventIdChars),
  trace_id: z.string().regex(/^[0-9a-fA-F]{32}$/, { error: 'expected 32 hex characters' }).nullish(),
  span_id: z.string().regex(/^[0-9a-fA-F]{16}$/, { error: 'expected 16 hex characters' }).nullish(),
  attributes: z
    .record(z.string().max(EVENT_LIMITS.attributeKeyChars), attributeValue, {
      error: (i) => `expected an object of string, number or boolean values, got ${typeOf(i.input)}`,
    })
    .nullish(),
});

export type EventInput = z.input<typeof EventSchema>;

export const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(EventSchema.shape));

/** An event as stored: every optional field resolved to its default. */
export interface NormalizedEvent {
  event_id: string;
  tx_id: string;
  service: string;
  operation: string;
  /** Event time at the emitter, epoch microseconds. */
  tsUs: number;
  tx_type: string;
  state: string;
  status: 'ok' | 'error';
  seq: number | null;
  idempotency_key: string;
  attempt: number;
  causation_id: string;
  trace_id: string;
  span_id: string;
  attributes: Record<string, string>;
}

export interface FieldProblem {
  field: string | null;
  message: string;
}

export type EventCheck =
  | { ok: true; event: NormalizedEvent; warnings: FieldProblem[] }
  | { ok: false; problem: FieldProblem };

export interface EventCheckOptions {
  /** Epoch ms the event is judged at (its arrival). */
  nowMs: number;
  /** Events older than this many ms before `nowMs` are refused (they would be expired by retention at once). */
  maxAgeMs: number;
  /** Events further than this many ms in the future are refused (a broken clock, not skew). Default 24 h. */
  maxFutureMs?: number;
}

const DAY_MS = 86_400_000;

/** Validates one decoded JSON value against the contract and normalises it. */
export function checkEvent(value: unknown, opts: EventCheckOptions): EventCheck {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: { field: null, message: `expected a JSON object, got ${typeOf(value)}` } };
  }
  let e = value as EventInput;
  if (!isSurelyValidEvent(value)) {
    const parsed = EventSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, problem: { field: issue.path.map(String).join('.') || null, message: issue.message } };
    }
    e = parsed.data;
  }
  const tsUs = typeof e.ts === 'number' ? e.ts * 1000 : rfc3339ToMicros(e.ts);
  if (tsUs === null) return { ok: false, problem: { field: 'ts', message: 'not a valid calendar date-time' } };
  const tsMs = tsUs / 1000;
  if (tsMs < opts.nowMs - opts.maxAgeMs) {
    const days = Math.round(opts.maxAgeMs / DAY_MS);
    return { ok: false, problem: { field: 'ts', message: `older than the retention window (${days} days): it would be deleted at once` } };
  }
  if (tsMs > opts.nowMs + (opts.maxFutureMs ?? DAY_MS)) {
    return { ok: false, problem: { field: 'ts', message: 'more than 24 hours in the future: check the emitter clock or the unit (epoch milliseconds expected)' } };
  }

  const warnings: FieldProblem[] = [];
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.attributes ?? {})) attributes[k] = attributeText(v);
  for (const key of Object.keys(value)) {
    if (KNOWN_FIELDS.has(key)) continue;
    const target = key in attributes ? `_field.${key}` : key;
    attributes[target] = attributeText((value as Record<string, unknown>)[key]);
    warnings.push({ field: key, message: `unknown field kept as attributes.${target}` });
  }
  if (Object.keys(attributes).length > EVENT_LIMITS.attributeCount) {
    return { ok: false, problem: { field: 'attributes', message: `more than ${EVENT_LIMITS.attributeCount} attributes` } };
  }

  return {
    ok: true,
    warnings,
    event: {
      event_id: e.event_id,
      tx_id: e.tx_id,
      service: e.service,
      operation: e.operation,
      tsUs,
      tx_type: e.tx_type ?? 'default',
      state: e.state ?? '',
      status: e.status ?? 'ok',
      seq: e.seq ?? null,
      idempotency_key: e.idempotency_key ?? '',
      attempt: e.attempt ?? 1,
      causation_id: e.causation_id ?? '',
      trace_id: (e.trace_id ?? '').toLowerCase(),
      span_id: (e.span_id ?? '').toLowerCase(),
      attributes,
    },
  };
}

/** Parses an RFC 3339 date-time to epoch microseconds; null when the calendar date is impossible. */
export function rfc3339ToMicros(s: string): number | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, z, sign, oh, om] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  if (new Date(ms).getUTCDate() !== day) return null; // 2026-02-30 and the like
  const offsetMin = z ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const micros = frac ? Number(frac.slice(0, 6).padEnd(6, '0')) : 0;
  return (ms - offsetMin * 60_000) * 1000 + micros;
}

function attributeText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
