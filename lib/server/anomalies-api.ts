// The anomaly routes' server functions: list, and one episode with the series around it
// and its affected transactions (paginated).
import 'server-only';
import type { z } from 'zod';
import type { AnomalyDetailQuerySchema, AnomalyListQuerySchema } from '@/lib/domain/api';
import { affectedTransactions, getAnomaly, listAnomalies } from './clickhouse/anomalies';
import type { Db } from './clickhouse/client';
import { getSignals } from './clickhouse/signals';

const HOUR = 3_600_000;

export async function anomalyList(db: Db, q: z.output<typeof AnomalyListQuerySchema>, signal?: AbortSignal) {
  const service = q.service === 'all' ? '' : q.service;
  return { anomalies: await listAnomalies(db, { ...q, service }, signal) };
}

export async function anomalyDetail(db: Db, id: string, q: z.output<typeof AnomalyDetailQuerySchema>, signal?: AbortSignal) {
  const a = await getAnomaly(db, id, signal);
  const startMs = Date.parse(a.start);
  const endMs = Date.parse(a.last_anomalous) + 60_000;
  const [series, affected] = await Promise.all([
    getSignals(db, { from: startMs - HOUR, to: Math.max(endMs, Date.parse(a.resolved_at ?? a.last_anomalous)) + HOUR, step: 1, service: a.service || undefined }, signal),
    affectedTransactions(db, a.signal, a.service, startMs, endMs, { limit: q.limit, after: q.after }),
  ]);
  const last = affected.tx_ids.at(-1);
  return {
    anomaly: a,
    series,
    affected: { total: affected.total, tx_ids: affected.tx_ids, ...(affected.tx_ids.length === q.limit && last && { next_after: last }) },
  };
}
