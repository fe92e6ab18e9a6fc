'use client';
// The delivery log: every attempt, newest first, filterable by status (in the URL).
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ErrorState, Loading } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import type { ViewState } from '@/components/ui/use-view-state';
import { deliveriesQuery } from '@/lib/queries/alerts';

export function DeliveriesPanel({ view }: { view: ViewState }) {
  const status = view.get('status');
  const q = useQuery(deliveriesQuery({ status }, view.get('live') === '0' ? false : 15_000));
  return (
    <>
      <div className="form-row" style={{ marginBottom: '0.5rem' }}>
        <label>
          Status
          <select value={status ?? ''} onChange={(e) => view.set({ status: e.target.value })}>
            <option value="">any</option>
            <option value="delivered">delivered</option>
            <option value="retrying">retrying</option>
            <option value="failed">failed</option>
          </select>
        </label>
      </div>
      {q.isPending ? (
        <Loading height={160} />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => void q.refetch()} />
      ) : q.data.deliveries.length === 0 ? (
        <p className="empty">No delivery attempt {status ? `with status ${status} ` : ''}yet.</p>
      ) : (
        <table data-testid="deliveries">
          <thead><tr><th>When</th><th>Destination</th><th>Transition</th><th>Anomaly</th><th className="num">Attempt</th><th>Status</th><th className="num">HTTP</th><th className="num">Latency</th><th>Error</th></tr></thead>
          <tbody>
            {q.data.deliveries.map((d) => (
              <tr key={d.id} className={d.status === 'failed' ? 'hot' : undefined}>
                <td><Time value={d.at} tz={view.tz} /></td>
                <td>{d.destination_name} <span className="muted small">({d.destination_type})</span></td>
                <td>{d.transition}</td>
                <td>{d.anomaly_id ? <Link href={`/anomalies/${d.anomaly_id}`}>{d.anomaly_id}</Link> : '—'}</td>
                <td className="num">{d.attempt}</td>
                <td><span className={`badge ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn'}`}>{d.status}</span></td>
                <td className="num">{d.http_status ?? '—'}</td>
                <td className="num">{d.latency_ms === null ? '—' : `${d.latency_ms} ms`}</td>
                <td className="small">{d.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
