// The alerting API (destinations, rules, deliveries, notifications) as the alerting
// contract defines it. Mutations invalidate by key prefix.
import { queryOptions } from '@tanstack/react-query';
import { fetchJson, qs } from './fetch-json';

export interface Destination {
  id: string;
  name: string;
  type: 'webhook' | 'slack' | 'pagerduty' | 'alertmanager' | 'alertmanager_api';
  url_redacted: string;
  enabled: boolean;
  has_template: boolean;
  created_at: string;
  updated_at: string;
  last_delivery: { status: 'delivered' | 'failed' | 'retrying'; at: string; http_status: number | null } | null;
}

export interface Rule {
  id: string;
  name: string;
  source: 'api' | 'config';
  match: { signal: string | null; service: string | null; tx_type: string | null; min_score: number | null };
  destination_ids: string[];
  muted_until: string | null;
  group_wait_ms: number;
  repeat_interval_ms: number | null;
  enabled: boolean;
}

export interface Delivery {
  id: string;
  notification_id: string;
  anomaly_id: string | null;
  destination_id: string;
  destination_name: string;
  destination_type: string;
  transition: 'firing' | 'resolved' | 'test';
  attempt: number;
  status: 'delivered' | 'failed' | 'retrying';
  http_status: number | null;
  latency_ms: number | null;
  error: string | null;
  at: string;
}

export interface Notification {
  id: string;
  anomaly_id: string;
  transition: string;
  created_at: string;
  destinations: { destination_id: string; destination_name: string; status: 'pending' | 'delivered' | 'failed'; attempts: number; last_error: string | null }[];
}

export interface DeliveryFilters { status?: string; destination_id?: string; anomaly_id?: string }

export const alertKeys = {
  all: ['alerts'] as const,
  destinations: () => [...alertKeys.all, 'destinations'] as const,
  rules: () => [...alertKeys.all, 'rules'] as const,
  deliveries: (f: DeliveryFilters) => [...alertKeys.all, 'deliveries', { status: f.status ?? '', destination_id: f.destination_id ?? '', anomaly_id: f.anomaly_id ?? '' }] as const,
  notifications: (anomalyId: string) => [...alertKeys.all, 'notifications', anomalyId] as const,
};

const noRetryOn404 = (count: number, err: unknown) => (err as { status?: number }).status !== 404 && count < 2;

export function destinationsQuery() {
  return queryOptions({ queryKey: alertKeys.destinations(), queryFn: ({ signal }) => fetchJson<{ destinations: Destination[] }>('/api/v1/destinations', signal), retry: noRetryOn404 });
}

export function rulesQuery() {
  return queryOptions({ queryKey: alertKeys.rules(), queryFn: ({ signal }) => fetchJson<{ rules: Rule[] }>('/api/v1/rules', signal), retry: noRetryOn404 });
}

export function deliveriesQuery(f: DeliveryFilters, refetchMs: number | false = false) {
  return queryOptions({
    queryKey: alertKeys.deliveries(f),
    queryFn: ({ signal }) => fetchJson<{ deliveries: Delivery[]; next_cursor: string | null }>(`/api/v1/deliveries${qs({ ...f, limit: 100 })}`, signal),
    retry: noRetryOn404,
    refetchInterval: refetchMs,
  });
}

export function notificationsQuery(anomalyId: string) {
  return queryOptions({
    queryKey: alertKeys.notifications(anomalyId),
    queryFn: ({ signal }) => fetchJson<{ notifications: Notification[] }>(`/api/v1/notifications${qs({ anomaly_id: anomalyId })}`, signal),
    retry: noRetryOn404,
  });
}

export const sendTest = (id: string) => fetchJson<{ delivery: Delivery }>(`/api/v1/destinations/${encodeURIComponent(id)}/test`, undefined, { method: 'POST' });

export const createDestination = (body: { name: string; type: string; url: string; routing_key?: string }) =>
  fetchJson<Destination & { secret?: string }>('/api/v1/destinations', undefined, { method: 'POST', body: JSON.stringify(body) });

export const patchDestination = (id: string, body: { enabled?: boolean }) =>
  fetchJson<Destination>(`/api/v1/destinations/${encodeURIComponent(id)}`, undefined, { method: 'PATCH', body: JSON.stringify(body) });
