'use client';
// One anomaly episode: evidence in words, the series from an hour before to an hour after
// with the expected band and the episode shaded, attribution, affected transactions
// (paginated, CSV) and the notifications sent for it.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { LazyTable } from '@/components/ui/lazy-table';
import { LazyBandChart } from '@/components/charts/lazy-charts';
import { ErrorState, Loading } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { useViewState } from '@/components/ui/use-view-state';
import { formatCount, formatPercent } from '@/lib/format/number';
import { FLAG_LABEL, toRateSeries } from '@/lib/format/signals';
import { formatDateTime } from '@/lib/format/time';
import { anomalyDetailQuery, type Anomaly } from '@/lib/queries/anomalies';
import { bandsQuery } from '@/lib/queries/signals';
import { AffectedTable } from './affected-table';
import { AnomalyEvidence, AttributionTable } from './anomaly-evidence';
import { NotificationsPanel } from './notifications-panel';

const HOUR = 3_600_000;

export function AnomalyDetailPanel({ id }: { id: string }) {
  const view = useViewState();
  const after = view.get('after') ?? '';
  const page = Number(view.get('page') ?? '1') || 1;
  const q = useQuery(anomalyDetailQuery(id, after));
  if (q.isPending) return <Loading height={400} label="Loading the anomaly" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => void q.refetch()} />;
  const a = q.data.anomaly;
  return (
    <>
      <h1>
        {FLAG_LABEL[a.signal]} {a.service ? `on ${a.service}` : '(all services)'}{' '}
        <span className={`badge ${a.status === 'open' ? 'bad' : 'ok'}`}>{a.status}</span>
      </h1>
      <p className="muted">
        From <Time value={a.start} tz={view.tz} /> to {a.resolved_at ? <Time value={a.resolved_at} tz={view.tz} /> : 'now (still open)'}; last anomalous minute <Time value={a.last_anomalous} tz={view.tz} />.{' '}
        <Link href={`/transactions?flag=${a.signal}${a.service ? `&service=${encodeURIComponent(a.service)}` : ''}&from=${encodeURIComponent(a.start)}&to=${encodeURIComponent(new Date(Date.parse(a.last_anomalous) + 60_000).toISOString())}`}>
          Search these transactions
        </Link>
      </p>
      <AnomalyEvidence a={a} />
      <h2>The series around it</h2>
      <EpisodeChart a={a} tz={view.tz} />
      <h2>Attribution</h2>
      <AttributionTable rows={a.attribution} />
      <h2>Affected transactions</h2>
      <AffectedTable a={a} affected={q.data.affected} page={page} onPage={(next, p) => view.set({ after: next, page: p > 1 ? String(p) : null })} />
      <h2>Notifications sent</h2>
      <div data-testid="notifications-section">
        <NotificationsPanel anomalyId={a.id} tz={view.tz} />
      </div>
    </>
  );
}

function EpisodeChart({ a, tz }: { a: Anomaly; tz: 'utc' | 'local' }) {
  const start = Date.parse(a.start);
  const end = Date.parse(a.resolved_at ?? a.last_anomalous) + 60_000;
  const range = useMemo(() => ({ from: Math.floor((start - HOUR) / 60_000) * 60_000, to: Math.ceil((end + HOUR) / 60_000) * 60_000 }), [start, end]);
  const q = useQuery(bandsQuery({ range, service: a.service || undefined }));
  const points = useMemo(() => (q.data ? toRateSeries(q.data.buckets, a.signal) : []), [q.data, a.signal]);
  const highlight = useMemo(() => ({ from: start, to: Date.parse(a.last_anomalous) + 60_000 }), [start, a.last_anomalous]);
  if (q.isPending) return <Loading height={240} />;
  if (q.isError) return <ErrorState error={q.error} height={240} retry={() => void q.refetch()} />;
  return (
    <section className="card" data-testid="episode-chart">
      <div style={{ height: 240 }}><LazyBandChart points={points} episodes={[]} highlight={highlight} tz={tz} stepMs={q.data.step_minutes * 60_000} height={240} /></div>
      <LazyTable>
        {() => (
        <table>
          <thead><tr><th>Minute</th><th className="num">Flagged</th><th className="num">Transactions</th><th className="num">Rate</th><th className="num">Expected</th></tr></thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.t} className={p.t >= highlight.from && p.t < highlight.to ? 'hot' : undefined}>
                <td>{formatDateTime(p.t, tz)}</td><td className="num">{formatCount(p.count)}</td><td className="num">{formatCount(p.total)}</td>
                <td className="num">{p.observed === null ? '—' : formatPercent(p.observed)}</td><td className="num">{formatPercent(p.expected)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        )}
      </LazyTable>
    </section>
  );
}
