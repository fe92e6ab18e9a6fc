// An anomaly episode as stored by detection, turned into the evidence a notification carries:
// rates, bounds, score, sample size, window, top attributions, up to ten affected
// transactions linked to their pages, the link to the anomaly page.
import 'server-only';
import type { AlertEvidence } from '@/lib/domain/alerting-payload';
import type { AnomalyRecord } from '../clickhouse/anomalies';
import { dominantTxType } from '../clickhouse/alerting-evidence';
import type { Db } from '../clickhouse/client';
import type { Env } from '../env';

const MIN = 60_000;

export function publicUrl(env: Pick<Env, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  return (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, '');
}

export async function evidenceOf(db: Db, base: string, a: AnomalyRecord): Promise<AlertEvidence> {
  return evidenceFrom(base, a, await dominantTxType(db, a.sample_tx_ids));
}

export function evidenceFrom(base: string, a: AnomalyRecord, txType: string | null): AlertEvidence {
  return {
    anomaly_id: a.id,
    anomaly_url: `${base}/anomalies/${encodeURIComponent(a.id)}`,
    signal: a.signal,
    service: a.service === '' ? 'all' : a.service,
    tx_type: txType,
    status: a.status,
    kind: a.kind,
    window: { from: a.start, to: new Date(Date.parse(a.last_anomalous) + MIN).toISOString() },
    resolved_at: a.resolved_at,
    observed_rate: a.observed,
    expected_rate: a.expected,
    bounds: { lower: a.lower, upper: a.upper },
    score: a.peak_score,
    sample_size: a.sample_size,
    flagged: a.flagged,
    affected_total: a.affected,
    top_attributions: a.attribution.slice(0, 5),
    affected_transactions: a.sample_tx_ids.slice(0, 10).map((tx) => ({ tx_id: tx, url: `${base}/transactions/${encodeURIComponent(tx)}` })),
  };
}
