// Time formatting in UTC or the viewer's zone (the `tz` URL parameter). Pure.

export type TimeZoneMode = 'utc' | 'local';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: TimeZoneMode, kind: 'time' | 'datetime' | 'precise'): Intl.DateTimeFormat {
  const key = `${tz}:${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const base: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz === 'utc' ? 'UTC' : undefined };
    const extra: Intl.DateTimeFormatOptions =
      kind === 'time' ? {} : kind === 'datetime' ? { year: 'numeric', month: '2-digit', day: '2-digit' } : { year: 'numeric', month: '2-digit', day: '2-digit', second: '2-digit', fractionalSecondDigits: 3 };
    f = new Intl.DateTimeFormat('en-CA', { ...base, ...extra });
    formatters.set(key, f);
  }
  return f;
}

const toMs = (t: number | string) => (typeof t === 'number' ? t : Date.parse(t));

/** "14:02" */
export function formatClock(t: number | string, tz: TimeZoneMode): string {
  return formatter(tz, 'time').format(toMs(t));
}

/** "2026-11-27 14:02 UTC" */
export function formatDateTime(t: number | string, tz: TimeZoneMode): string {
  return `${formatter(tz, 'datetime').format(toMs(t)).replace(',', '')}${tz === 'utc' ? ' UTC' : ''}`;
}

/** "2026-11-27 14:02:03.120" (event times; microseconds stay in the raw JSON). */
export function formatPrecise(t: number | string, tz: TimeZoneMode): string {
  return formatter(tz, 'precise').format(toMs(t)).replace(',', '');
}

/** 1234 → "1.2 s", 45 → "45 ms", 90_000 → "1.5 min". */
export function formatDuration(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (a < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * The x axis of a time chart over buckets starting at `times` (epoch ms, ascending) of
 * `stepMs` each: the domain covers the last bucket whole; ticks show the clock, or the date
 * and clock when the chart spans more than a day.
 */
export function timeAxis(times: number[], stepMs: number, tz: TimeZoneMode): { domain: [number, number]; tick: (t: number) => string } {
  const first = times[0];
  const last = times[times.length - 1];
  const span = first !== undefined && last !== undefined ? last - first : 0;
  return {
    domain: first !== undefined && last !== undefined ? [first, last + stepMs] : [0, 1],
    tick: (t) => (span > 86_400_000 ? formatDateTime(t, tz).slice(5, 16) : formatClock(t, tz)),
  };
}
