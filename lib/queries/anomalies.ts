// Anomaly episodes: list (filters and range) and one episode with its affected
// transactions, paged by the last tx_id of the previous page.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { AnomalyRecord } from '@/lib/server/clickhouse/anomalies';
import type { SignalSeries } from '@/lib/server/clickhouse/signals';
import { rangeKey, resolveRange, type RangeSpec } from '@/lib/format/time-range';
import { fetchJson, qs } from './fetch-json';

export type Anomaly = AnomalyRecord;
export interface AnomalyFilters { range: RangeSpec; status?: string; signal?: string; service?: string }
export interface AnomalyDetail {
  anomaly: Anomaly;
  series: SignalSeries;
  affected: { total: number; tx_ids: string[]; next_after?: string };
}

export const anomalyKeys = {
  all: ['anomalies'] as const,
  list: (f: AnomalyFilters) => [...anomalyKeys.all, 'list', { range: rangeKey(f.range), status: f.status ?? '', signal: f.signal ?? '', service: f.service ?? '' }] as const,
  detail: (id: string, after = '', limit = 50) => [...anomalyKeys.all, 'detail', id, { after, limit }] as const,
};

export function anomalyListQuery(f: AnomalyFilters, refetchMs: number | false = false) {
  return queryOptions({
    queryKey: anomalyKeys.list(f),
    queryFn: ({ signal }) => {
      const { from, to } = resolveRange(f.range, Date.now());
      return fetchJson<{ anomalies: Anomaly[] }>(`/api/v1/anomalies${qs({ from, to, status: f.status, signal: f.signal, service: f.service })}`, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval: refetchMs,
  });
}

export function anomalyDetailQuery(id: string, after = '', limit = 50) {
  return queryOptions({
    queryKey: anomalyKeys.detail(id, after, limit),
    queryFn: ({ signal }) => fetchJson<AnomalyDetail>(`/api/v1/anomalies/${encodeURIComponent(id)}${qs({ after, limit })}`, signal),
    placeholderData: keepPreviousData,
  });
}
