'use client';
// Anomaly episodes with filters (status, signal, service) and the time range, all in the URL.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ErrorState, Loading } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useViewState } from '@/components/ui/use-view-state';
import { FLAGS } from '@/lib/analysis/flags';
import { evidenceSentence, FLAG_LABEL } from '@/lib/format/signals';
import { formatDuration } from '@/lib/format/time';
import { anomalyListQuery } from '@/lib/queries/anomalies';

export function AnomalyListPanel() {
  const view = useViewState('7d');
  const f = { status: view.get('status'), signal: view.get('signal'), service: view.get('service') };
  const q = useQuery(anomalyListQuery({ range: view.range, ...f }, view.live ? 30_000 : false));
  const services = [...new Set([...(q.data?.anomalies ?? []).map((a) => a.service || 'all'), ...(f.service ? [f.service] : [])])].sort();
  return (
    <>
      <TimeRangePicker view={view} fetching={q.isFetching} />
      <form className="form-row" aria-label="Filters" onSubmit={(e) => e.preventDefault()} style={{ marginBottom: '1rem' }}>
        <label>
          Status
          <select value={f.status ?? ''} onChange={(e) => view.set({ status: e.target.value })}>
            <option value="">any</option>
            <option value="open">open</option>
            <option value="resolved">resolved</option>
          </select>
        </label>
        <label>
          Signal
          <select value={f.signal ?? ''} onChange={(e) => view.set({ signal: e.target.value })}>
            <option value="">any</option>
            {FLAGS.map((s) => <option key={s} value={s}>{FLAG_LABEL[s]}</option>)}
          </select>
        </label>
        <label>
          Service
          <select value={f.service ?? ''} onChange={(e) => view.set({ service: e.target.value })}>
            <option value="">any</option>
            {services.map((s) => <option key={s} value={s}>{s === 'all' ? 'all services together' : s}</option>)}
          </select>
        </label>
      </form>
      {q.isPending ? (
        <Loading height={240} />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => void q.refetch()} />
      ) : q.data.anomalies.length === 0 ? (
        <p className="empty">No anomaly episode matches these filters in this range.</p>
      ) : (
        <table data-testid="anomaly-list" aria-busy={q.isPlaceholderData} className={q.isPlaceholderData ? 'stale' : undefined}>
          <thead>
            <tr><th>Episode</th><th>Status</th><th>Started</th><th className="num">Lasted</th><th>Evidence</th><th className="num">Score</th></tr>
          </thead>
          <tbody>
            {q.data.anomalies.map((a) => (
              <tr key={a.id} className={a.status === 'open' ? 'hot' : undefined}>
                <td><Link href={`/anomalies/${a.id}`}>{FLAG_LABEL[a.signal]} {a.service ? `on ${a.service}` : '(all services)'}</Link></td>
                <td><span className={`badge ${a.status === 'open' ? 'bad' : 'ok'}`}>{a.status}</span></td>
                <td><Time value={a.start} tz={view.tz} /></td>
                <td className="num">{formatDuration(Date.parse(a.last_anomalous) + 60_000 - Date.parse(a.start))}</td>
                <td className="small">{evidenceSentence(a)}</td>
                <td className="num">{a.peak_score.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
