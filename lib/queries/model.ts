// The configured transaction models and the model suggested from observed data.
import { queryOptions } from '@tanstack/react-query';
import type { ModelSuggestion } from '@/lib/analysis/suggest';
import type { TxModel } from '@/lib/domain/config';
import { fetchJson, qs } from './fetch-json';

export const modelKeys = {
  all: ['model'] as const,
  configured: () => [...modelKeys.all, 'configured'] as const,
  suggestion: (txType: string, days: number) => [...modelKeys.all, 'suggest', txType, days] as const,
};

export function modelsQuery() {
  return queryOptions({
    queryKey: modelKeys.configured(),
    queryFn: ({ signal }) => fetchJson<{ models: Record<string, TxModel>; max_clock_skew_ms: number }>('/api/v1/models', signal),
  });
}

export function suggestionQuery(txType: string, days = 7) {
  return queryOptions({
    queryKey: modelKeys.suggestion(txType, days),
    queryFn: ({ signal }) => fetchJson<ModelSuggestion>(`/api/v1/model/suggest${qs({ tx_type: txType, days })}`, signal),
    retry: false,
  });
}
