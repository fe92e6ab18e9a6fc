// Signals with expected bands, and the per-service breakdown: keys and query options. A
// quick range is part of the key by name ("1h"), and resolved against the clock when the
// query runs, so live refreshes reuse one cache entry instead of creating one per tick.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ServiceBreakdown } from '@/lib/server/clickhouse/breakdown';
import type { BandedSeries } from '@/lib/server/signal-bands';
import { rangeKey, resolveRange, stepMinutesFor, stepParam, type RangeSpec } from '@/lib/format/time-range';
import { fetchJson, qs } from './fetch-json';

export interface SignalFilters { range: RangeSpec; service?: string }

export const signalKeys = {
  all: ['signals'] as const,
  bands: (f: SignalFilters) => [...signalKeys.all, 'bands', { range: rangeKey(f.range), service: f.service ?? '' }] as const,
  breakdown: (range: RangeSpec) => [...signalKeys.all, 'breakdown', rangeKey(range)] as const,
};

/** The absolute query of a range now: bounds and step. */
export function bandsParams(f: SignalFilters, nowMs: number) {
  const { from, to } = resolveRange(f.range, nowMs);
  const step = stepMinutesFor(to - from);
  return { from, to, step, service: f.service };
}

export function bandsQuery(f: SignalFilters, refetchMs: number | false = false) {
  return queryOptions({
    queryKey: signalKeys.bands(f),
    queryFn: ({ signal }) => {
      const p = bandsParams(f, Date.now());
      return fetchJson<BandedSeries>(`/api/v1/signals/bands${qs({ from: p.from, to: p.to, step: stepParam(p.step), service: p.service })}`, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval: refetchMs,
  });
}

export function breakdownQuery(range: RangeSpec, refetchMs: number | false = false) {
  return queryOptions({
    queryKey: signalKeys.breakdown(range),
    queryFn: ({ signal }) => {
      const { from, to } = resolveRange(range, Date.now());
      return fetchJson<{ from: string; to: string; services: ServiceBreakdown[] }>(`/api/v1/breakdown${qs({ from, to })}`, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval: refetchMs,
  });
}
