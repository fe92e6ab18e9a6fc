// The TXDRIFT_CONFIG file (JSON or YAML): transaction models per tx_type, as DESIGN.md
// describes them, checked for internal consistency. Pure: imports nothing from server,
// react or next.
import { z } from 'zod';
import { AlertingConfigSchema } from './alerting';
import { DurationMsSchema } from './duration';

const name = z.string().min(1).max(128);

export const TxModelSchema = z
  .strictObject({
    states: z.array(name).min(1),
    /** Allowed direct moves; a state may always repeat itself. */
    transitions: z.record(name, z.array(name)).default({}),
    terminal: z.array(name).default([]),
    /** Services that must report on every transaction. */
    participants: z.array(name).default([]),
    /** Services that must end in the same state. */
    agree: z.array(name).default([]),
    /** Quiet time before divergence is judged; default 5m. */
    settle_after: DurationMsSchema.default(300_000),
    /** Operations that may legitimately repeat (not duplicate executions). */
    repeatable: z.array(name).default([]),
  })
  .superRefine((m, ctx) => {
    const states = new Set(m.states);
    const unknown = (path: (string | number)[], s: string) =>
      ctx.addIssue({ code: 'custom', path, message: `"${s}" is not one of the model's states (${m.states.join(', ')})` });
    for (const [from, tos] of Object.entries(m.transitions)) {
      if (!states.has(from)) unknown(['transitions', from], from);
      tos.forEach((to, i) => states.has(to) || unknown(['transitions', from, i], to));
    }
    m.terminal.forEach((s, i) => states.has(s) || unknown(['terminal', i], s));
    const participants = new Set(m.participants);
    m.agree.forEach((svc, i) => {
      if (m.participants.length > 0 && !participants.has(svc)) {
        ctx.addIssue({ code: 'custom', path: ['agree', i], message: `"${svc}" must also be listed in participants` });
      }
    });
  });

export type TxModel = z.output<typeof TxModelSchema>;

const FLAG_NAMES = ['duplicate_delivery', 'duplicate_execution', 'ordering', 'divergence'] as const;

/** "Any duplicate_execution on payments is an anomaly": a bucket with at least min_count flags. */
export const AbsoluteRuleSchema = z.strictObject({
  signal: z.enum(FLAG_NAMES, { error: `expected one of ${FLAG_NAMES.join(', ')}` }),
  /** A service, or omitted for all services together. */
  service: name.optional(),
  min_count: z.number().int().min(1).default(1),
});
export type AbsoluteRule = z.output<typeof AbsoluteRuleSchema>;

export const DetectionConfigSchema = z
  .strictObject({
    /** p-value at or below which a bucket is anomalous; default 1e-6. */
    threshold: z.number().gt(0).lt(0.5).default(1e-6),
    /** An episode opens when open_n of the last open_m buckets are anomalous; defaults 2 of 3. */
    open_n: z.number().int().min(1).default(2),
    open_m: z.number().int().min(1).default(3),
    /** …and resolves after this many normal buckets; default 5. */
    resolve_after: z.number().int().min(1).default(5),
    rules: z.array(AbsoluteRuleSchema).default([]),
  })
  .refine((d) => d.open_n <= d.open_m, { message: 'open_n must not exceed open_m', path: ['open_n'] });
export type DetectionConfig = z.output<typeof DetectionConfigSchema>;

export const ConfigSchema = z.strictObject({
  models: z.record(name, TxModelSchema).default({}),
  /** Clock skew tolerated between services when judging causation; default 0ms. */
  max_clock_skew: DurationMsSchema.default(0),
  detection: DetectionConfigSchema.default(DetectionConfigSchema.parse({})),
  /** Alert destinations and rules versioned with the rest (see README, "Alerting"). */
  alerting: AlertingConfigSchema.default(AlertingConfigSchema.parse({})),
});

export type TxdriftConfig = z.output<typeof ConfigSchema>;

export const EMPTY_CONFIG: TxdriftConfig = ConfigSchema.parse({});
