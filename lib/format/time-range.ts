// Time ranges as the URL holds them: a quick range relative to now (`range=1h`) or an
// absolute one (`from=…&to=…`, ISO 8601), and the bucket step a chart uses for a span.
// Pure: `now` is a parameter.

export const QUICK_RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

const QUICK_MS: Record<QuickRange, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

export type RangeSpec = { quick: QuickRange } | { from: number; to: number };

export function isQuickRange(s: string | null | undefined): s is QuickRange {
  return (QUICK_RANGES as readonly string[]).includes(s ?? '');
}

/** Reads `range` or `from`/`to` from URL params; anything unreadable falls back to the quick range. */
export function rangeFromParams(get: (key: string) => string | null | undefined, fallback: QuickRange = '6h'): RangeSpec {
  const from = parseTime(get('from'));
  const to = parseTime(get('to'));
  if (from !== null && to !== null && from < to) return { from, to };
  const quick = get('range');
  return { quick: isQuickRange(quick) ? quick : fallback };
}

export function parseTime(v: string | null | undefined): number | null {
  if (!v) return null;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

/** The absolute [from, to) of a range at `nowMs`. */
export function resolveRange(spec: RangeSpec, nowMs: number): { from: number; to: number } {
  if ('quick' in spec) return { from: nowMs - QUICK_MS[spec.quick], to: nowMs };
  return { from: spec.from, to: spec.to };
}

/** URL params for a range; the other range params are cleared (null). */
export function rangeParams(spec: RangeSpec): Record<string, string | null> {
  if ('quick' in spec) return { range: spec.quick, from: null, to: null };
  return { range: null, from: new Date(spec.from).toISOString(), to: new Date(spec.to).toISOString() };
}

/** A stable key for caches: the quick range name, or the absolute bounds. */
export function rangeKey(spec: RangeSpec): string {
  return 'quick' in spec ? spec.quick : `${spec.from}-${spec.to}`;
}

const STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 360, 720, 1440];

/** The finest step that keeps a chart at or under `maxBuckets` buckets (about one per 3 px of a half-width chart). */
export function stepMinutesFor(spanMs: number, maxBuckets = 180): number {
  const minutes = spanMs / 60_000;
  return STEPS_MIN.find((s) => minutes / s <= maxBuckets) ?? 1440;
}

export function stepParam(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}
