'use client';
// The notifications sent for one episode (alerting API); a clear error when the server has
// no alerting API.
import { useQuery } from '@tanstack/react-query';
import { ErrorState, Loading } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import type { TimeZoneMode } from '@/lib/format/time';
import { notificationsQuery } from '@/lib/queries/alerts';

export function NotificationsPanel({ anomalyId, tz }: { anomalyId: string; tz: TimeZoneMode }) {
  const q = useQuery(notificationsQuery(anomalyId));
  if (q.isPending) return <Loading height={80} />;
  if (q.isError) return <ErrorState error={q.error} retry={() => void q.refetch()} />;
  if (q.data.notifications.length === 0) return <p className="muted">No notification was sent for this episode (no rule matched it, or alerting has not run yet).</p>;
  if (q.data.notifications.every((n) => n.destinations.length === 0)) {
    return (
      <p className="muted">
        {q.data.notifications.map((n) => n.transition).join(' and ')} notification{q.data.notifications.length > 1 ? 's were' : ' was'} recorded, but no rule sent {q.data.notifications.length > 1 ? 'them' : 'it'} to a destination.
      </p>
    );
  }
  return (
    <table data-testid="notifications">
      <thead><tr><th>When</th><th>Transition</th><th>Destination</th><th>Status</th><th className="num">Attempts</th><th>Last error</th></tr></thead>
      <tbody>
        {q.data.notifications.flatMap((n) =>
          n.destinations.map((d) => (
            <tr key={`${n.id}-${d.destination_id}`} className={d.status === 'failed' ? 'hot' : undefined}>
              <td><Time value={n.created_at} tz={tz} /></td>
              <td>{n.transition}</td>
              <td>{d.destination_name}</td>
              <td><span className={`badge ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn'}`}>{d.status}</span></td>
              <td className="num">{d.attempts}</td>
              <td className="small">{d.last_error ?? ''}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
