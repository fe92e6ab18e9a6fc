'use client';
// Alert rules: which anomalies notify which destinations (config rules are read-only).
import { useQuery } from '@tanstack/react-query';
import { ErrorState, Loading } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { formatDuration, type TimeZoneMode } from '@/lib/format/time';
import { destinationsQuery, rulesQuery } from '@/lib/queries/alerts';

export function RulesPanel({ tz }: { tz: TimeZoneMode }) {
  const q = useQuery(rulesQuery());
  const dests = useQuery(destinationsQuery());
  const nameOf = new Map((dests.data?.destinations ?? []).map((d) => [d.id, d.name]));
  if (q.isPending) return <Loading height={120} />;
  if (q.isError) return <ErrorState error={q.error} retry={() => void q.refetch()} />;
  if (q.data.rules.length === 0) return <p className="empty">No rule: anomalies are detected and listed, but nobody is notified.</p>;
  return (
    <table data-testid="rules">
      <thead><tr><th>Name</th><th>Matches</th><th>Sends to</th><th>Repeat</th><th>Muted until</th><th>State</th></tr></thead>
      <tbody>
        {q.data.rules.map((r) => (
          <tr key={r.id}>
            <td>{r.name} {r.source === 'config' && <span className="badge">from config</span>}</td>
            <td className="small">
              {[r.match.signal ?? 'any signal', r.match.service ? `on ${r.match.service}` : 'any service', r.match.tx_type ? `tx_type ${r.match.tx_type}` : null, r.match.min_score !== null ? `score ≥ ${r.match.min_score}` : null].filter(Boolean).join(', ')}
            </td>
            <td>{r.destination_ids.map((id) => nameOf.get(id) ?? id).join(', ')}</td>
            <td className="small">{r.repeat_interval_ms ? `every ${formatDuration(r.repeat_interval_ms)}` : 'once per transition'}</td>
            <td>{r.muted_until ? <Time value={r.muted_until} tz={tz} /> : '—'}</td>
            <td>{r.enabled ? <span className="badge ok">enabled</span> : <span className="badge">disabled</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
