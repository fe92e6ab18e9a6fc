// Human durations used in configuration ("250ms", "30s", "5m", "2h", "7d") to milliseconds.
// Pure: imports nothing from server, react or next.
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Milliseconds for a duration string, or null when it is not one. */
export function durationMs(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

/** zod: a duration string such as "5m" (or a number of milliseconds), parsed to milliseconds. */
export const DurationMsSchema = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = durationMs(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as 250ms, 30s, 5m, 2h or 7d, got "${v}"` });
    return z.NEVER;
  }
  return ms;
});
