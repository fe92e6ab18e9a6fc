// Query parameters of the /api/v1 routes, as zod schemas: each bad parameter is named in
// the 400 answer. Times are ISO 8601 or epoch milliseconds. Pure.
import { z } from 'zod';
import { FLAGS } from '@/lib/analysis/flags';

const DAY_MS = 86_400_000;

/** ISO 8601 (with or without zone, UTC assumed) or epoch milliseconds → epoch ms. */
export const TimeSchema = z.string().transform((v, ctx) => {
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `expected an ISO 8601 time (2026-11-27T14:02:00Z) or epoch milliseconds, got "${v}"` });
    return z.NEVER;
  }
  return ms;
});

const STEP = /^(\d+)(m|h|d)$/;
const STEP_MINUTES = { m: 1, h: 60, d: 1440 } as const;

export const StepSchema = z.string().transform((v, ctx) => {
  const m = STEP.exec(v);
  const minutes = m ? Number(m[1]) * STEP_MINUTES[m[2] as keyof typeof STEP_MINUTES] : 0;
  if (!m || minutes < 1 || minutes > 7 * 1440) {
    ctx.addIssue({ code: 'custom', message: `expected a step of whole minutes such as 1m, 5m, 1h or 1d (at most 7d), got "${v}"` });
    return z.NEVER;
  }
  return minutes;
});

export const FlagParamSchema = z.enum(FLAGS, { error: `expected one of ${FLAGS.join(', ')}` });

const rangeShape = { from: TimeSchema.optional(), to: TimeSchema.optional() };

/** Defaults: `to` = now, `from` = `to` minus the default span. */
function resolveRange<T extends { from?: number; to?: number }>(q: T, defaultSpanMs: number): T & { from: number; to: number } {
  const to = q.to ?? Date.now();
  return { ...q, to, from: q.from ?? to - defaultSpanMs };
}

const fromBeforeTo = { message: 'must be earlier than to', path: ['from'] };
const LIMIT_ERROR = { error: 'expected an integer from 1 to 1000' };

export const TransactionListQuerySchema = z
  .object({
    ...rangeShape,
    flag: FlagParamSchema.optional(),
    service: z.string().min(1).max(128).optional(),
    tx_type: z.string().min(1).max(128).optional(),
    limit: z.coerce.number(LIMIT_ERROR).int(LIMIT_ERROR).min(1, LIMIT_ERROR).max(1000, LIMIT_ERROR).default(100),
    cursor: z.string().max(600).optional(),
  })
  .transform((q) => resolveRange(q, DAY_MS))
  .refine((q) => q.from < q.to, fromBeforeTo);
export type TransactionListQuery = z.output<typeof TransactionListQuerySchema>;

export const MAX_SIGNAL_BUCKETS = 20_000;

export const SignalsQuerySchema = z
  .object({ ...rangeShape, step: StepSchema.default(1), service: z.string().min(1).max(128).optional() })
  .transform((q) => resolveRange(q, DAY_MS))
  .refine((q) => q.from < q.to, fromBeforeTo)
  .refine((q) => (q.to - q.from) / (q.step * 60_000) <= MAX_SIGNAL_BUCKETS, {
    message: `the range holds more than ${MAX_SIGNAL_BUCKETS} buckets of this step: use a coarser step`,
    path: ['step'],
  });
export type SignalsQuery = z.output<typeof SignalsQuerySchema>;

export const AnomalyListQuerySchema = z
  .object({
    ...rangeShape,
    status: z.enum(['open', 'resolved'], { error: 'expected open or resolved' }).optional(),
    signal: FlagParamSchema.optional(),
    /** Only this service's episodes; `all` for the all-services series. */
    service: z.string().min(1).max(128).optional(),
  })
  .transform((q) => resolveRange(q, 7 * DAY_MS))
  .refine((q) => q.from < q.to, fromBeforeTo);

export const AnomalyDetailQuerySchema = z.object({
  limit: z.coerce.number(LIMIT_ERROR).int(LIMIT_ERROR).min(1, LIMIT_ERROR).max(1000, LIMIT_ERROR).default(100),
  /** The last tx_id of the previous page of affected transactions. */
  after: z.string().max(256).optional(),
});

export const ModelSuggestQuerySchema = z.object({
  tx_type: z.string({ error: 'required: the tx_type to propose a model for' }).min(1).max(128),
  days: z.coerce.number().int().min(1).max(90).default(7),
});

/** Parses URL search params; on failure, one message naming every bad parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) if (v !== '') raw[k] = v;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const message = parsed.error.issues.map((i) => `parameter ${String(i.path[0] ?? '?')}: ${i.message}`).join('; ');
  return { ok: false, message };
}

// ---- UI routes: search, signals with expected bands, per-service breakdown ----

/** GET /api/v1/search: one exact id (transaction id, event id or idempotency key). */
export const SearchQuerySchema = z.object({
  q: z.string({ error: 'required: a transaction id, event id or idempotency key' }).trim().min(1).max(256),
  limit: z.coerce.number(LIMIT_ERROR).int(LIMIT_ERROR).min(1, LIMIT_ERROR).max(1000, LIMIT_ERROR).default(50),
});
export type SearchQuery = z.output<typeof SearchQuerySchema>;

/** GET /api/v1/signals/bands: the signals plus the detector's expected band per bucket. */
export const SignalBandsQuerySchema = z
  .object({ ...rangeShape, step: StepSchema.default(1), service: z.string().min(1).max(128).optional() })
  .transform((q) => resolveRange(q, DAY_MS))
  .refine((q) => q.from < q.to, fromBeforeTo)
  .refine((q) => q.to - q.from <= 31 * DAY_MS, { message: 'the range may span at most 31 days', path: ['from'] })
  .refine((q) => (q.to - q.from) / (q.step * 60_000) <= 2000, {
    message: 'the range holds more than 2000 buckets of this step: use a coarser step',
    path: ['step'],
  });
export type SignalBandsQuery = z.output<typeof SignalBandsQuerySchema>;

/** GET /api/v1/breakdown: per-service totals over [from, to). */
export const BreakdownQuerySchema = z
  .object({ ...rangeShape })
  .transform((q) => resolveRange(q, DAY_MS))
  .refine((q) => q.from < q.to, fromBeforeTo);
export type BreakdownQuery = z.output<typeof BreakdownQuerySchema>;
