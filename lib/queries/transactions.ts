// Transactions: flagged list (filters, range, cursor), exact-id search, and one
// transaction's full timeline.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { SearchMatch } from '@/lib/server/clickhouse/search';
import type { getTransaction, TransactionSummary } from '@/lib/server/clickhouse/transactions';
import { rangeKey, resolveRange, type RangeSpec } from '@/lib/format/time-range';
import { fetchJson, qs } from './fetch-json';

export type TransactionDetail = Awaited<ReturnType<typeof getTransaction>>;
export type { SearchMatch, TransactionSummary };
export interface TransactionFilters { range: RangeSpec; flag?: string; service?: string; tx_type?: string; cursor?: string }

export const transactionKeys = {
  all: ['transactions'] as const,
  list: (f: TransactionFilters) =>
    [...transactionKeys.all, 'list', { range: rangeKey(f.range), flag: f.flag ?? '', service: f.service ?? '', tx_type: f.tx_type ?? '', cursor: f.cursor ?? '' }] as const,
  search: (q: string) => [...transactionKeys.all, 'search', q] as const,
  detail: (id: string) => [...transactionKeys.all, 'detail', id] as const,
};

export function transactionListQuery(f: TransactionFilters) {
  return queryOptions({
    queryKey: transactionKeys.list(f),
    queryFn: ({ signal }) => {
      const { from, to } = resolveRange(f.range, Date.now());
      return fetchJson<{ transactions: TransactionSummary[]; next_cursor?: string }>(
        `/api/v1/transactions${qs({ from, to, flag: f.flag, service: f.service, tx_type: f.tx_type, cursor: f.cursor, limit: 50 })}`,
        signal,
      );
    },
    placeholderData: keepPreviousData,
  });
}

export function searchQuery(q: string) {
  return queryOptions({
    queryKey: transactionKeys.search(q),
    queryFn: ({ signal }) => fetchJson<{ query: string; matches: SearchMatch[] }>(`/api/v1/search${qs({ q })}`, signal),
  });
}

export function transactionQuery(id: string) {
  return queryOptions({
    queryKey: transactionKeys.detail(id),
    queryFn: ({ signal }) => fetchJson<TransactionDetail>(`/api/v1/transactions/${encodeURIComponent(id)}`, signal),
  });
}
