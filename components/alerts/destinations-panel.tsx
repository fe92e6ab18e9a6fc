'use client';
// Alert destinations: list, enable/disable, send a test notification now, and add one (a
// webhook's signing secret is shown once, right after creation).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState, Loading } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import type { TimeZoneMode } from '@/lib/format/time';
import { alertKeys, createDestination, destinationsQuery, patchDestination, sendTest, type Delivery } from '@/lib/queries/alerts';

export function DestinationsPanel({ tz }: { tz: TimeZoneMode }) {
  const qc = useQueryClient();
  const q = useQuery(destinationsQuery());
  const [results, setResults] = useState<Record<string, Delivery | string>>({});
  const test = useMutation({
    mutationFn: (id: string) => sendTest(id),
    onSuccess: (r, id) => setResults((m) => ({ ...m, [id]: r.delivery })),
    onError: (e, id) => setResults((m) => ({ ...m, [id]: e.message })),
    onSettled: () => qc.invalidateQueries({ queryKey: alertKeys.all }),
  });
  const toggle = useMutation({
    mutationFn: (d: { id: string; enabled: boolean }) => patchDestination(d.id, { enabled: d.enabled }),
    onSettled: () => qc.invalidateQueries({ queryKey: alertKeys.destinations() }),
  });
  if (q.isPending) return <Loading height={120} />;
  if (q.isError) return <ErrorState error={q.error} retry={() => void q.refetch()} />;
  return (
    <>
      {q.data.destinations.length === 0 ? (
        <p className="empty">No destination yet: add one below, then a rule that sends anomalies to it.</p>
      ) : (
        <table data-testid="destinations">
          <thead><tr><th>Name</th><th>Type</th><th>URL</th><th>Enabled</th><th>Last delivery</th><th>Test</th></tr></thead>
          <tbody>
            {q.data.destinations.map((d) => {
              const r = results[d.id];
              return (
                <tr key={d.id}>
                  <td>{d.name}</td>
                  <td>{d.type}</td>
                  <td className="small"><code>{d.url_redacted}</code></td>
                  <td>
                    <label>
                      <input type="checkbox" checked={d.enabled} onChange={(e) => toggle.mutate({ id: d.id, enabled: e.target.checked })} /> {d.enabled ? 'on' : 'off'}
                    </label>
                  </td>
                  <td className="small">{d.last_delivery ? <>{d.last_delivery.status} {d.last_delivery.http_status ?? ''} · <Time value={d.last_delivery.at} tz={tz} /></> : 'never'}</td>
                  <td>
                    <button type="button" onClick={() => test.mutate(d.id)} disabled={test.isPending && test.variables === d.id}>Send test</button>
                    {r && <div className="small" role="status">{typeof r === 'string' ? r : `${r.status}${r.http_status ? ` (HTTP ${r.http_status})` : ''}${r.latency_ms !== null ? ` in ${r.latency_ms} ms` : ''}${r.error ? `: ${r.error}` : ''}`}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <NewDestination />
    </>
  );
}

function NewDestination() {
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', type: 'webhook', url: '', routing_key: '' });
  const create = useMutation({
    mutationFn: () => createDestination({ name: form.name, type: form.type, url: form.url, ...(form.type === 'pagerduty' && { routing_key: form.routing_key }) }),
    onSuccess: () => {
      setForm({ name: '', type: 'webhook', url: '', routing_key: '' });
      void qc.invalidateQueries({ queryKey: alertKeys.destinations() });
    },
  });
  return (
    <details style={{ marginTop: '1rem' }}>
      <summary>Add a destination</summary>
      <form className="form-row" onSubmit={(e) => (e.preventDefault(), create.mutate())} style={{ marginTop: '0.5rem' }}>
        <label>Name<input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
        <label>
          Type
          <select value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
            {['webhook', 'slack', 'pagerduty', 'alertmanager', 'alertmanager_api'].map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        <label>URL<input required type="url" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} style={{ minWidth: 280 }} /></label>
        {form.type === 'pagerduty' && <label>Routing key<input required value={form.routing_key} onChange={(e) => setForm({ ...form, routing_key: e.target.value })} /></label>}
        <button type="submit" disabled={create.isPending}>Add</button>
      </form>
      {create.isError && <ErrorState error={create.error} />}
      {create.data?.secret && (
        <p role="status">
          Signing secret of <strong>{create.data.name}</strong> (shown this once; store it with the receiver): <code>{create.data.secret}</code>
        </p>
      )}
    </details>
  );
}
