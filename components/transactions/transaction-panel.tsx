'use client';
// Transaction detail: the verdict in words, the cross-service timeline, the merged state
// path, final states side by side, the selected event's raw JSON, every event as a table,
// and export of the whole transaction as JSON. Selection and time zone live in the URL.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { download } from '@/components/ui/download';
import { FlagBadge } from '@/components/ui/flag-badge';
import { ErrorState, Loading } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { useViewState } from '@/components/ui/use-view-state';
import { formatDuration } from '@/lib/format/time';
import { divergentServices, layoutTimeline } from '@/lib/format/timeline';
import { transactionQuery } from '@/lib/queries/transactions';
import { EventTable } from './event-table';
import { TimelineLanes } from './timeline-lanes';
import { FinalStates, ReasonList, StatePath } from './transaction-facts';

export function TransactionPanel({ id }: { id: string }) {
  const view = useViewState();
  const q = useQuery(transactionQuery(id));
  const tx = q.data;
  const layout = useMemo(() => (tx ? layoutTimeline(tx) : null), [tx]);
  const placed = useMemo(() => layout?.lanes.flatMap((l) => l.events).sort((a, b) => Number(a.key.split('#').at(-1)) - Number(b.key.split('#').at(-1))) ?? [], [layout]);
  if (q.isPending) return <Loading height={400} label="Loading the transaction" />;
  if (q.isError || !tx || !layout) return <ErrorState error={q.error} retry={() => void q.refetch()} />;

  const selectedKey = view.get('event') ?? null;
  const select = (key: string) => view.set({ event: selectedKey === key ? null : key });
  const showEvent = (eventId: string) => {
    const p = placed.find((x) => x.event.event_id === eventId);
    if (p) view.set({ event: p.key });
  };
  const selected = placed.find((p) => p.key === selectedKey);
  const missing = layout.lanes.filter((l) => l.missing).map((l) => l.service);
  const spanMs = Date.parse(tx.last_ts) - Date.parse(tx.first_ts);
  return (
    <>
      <p>
        {tx.tx_type} · {tx.events.length} events from {tx.services.length} services over {formatDuration(spanMs)}, from <Time value={tx.first_ts} tz={view.tz} precise />.{' '}
        {!tx.analyzed ? <span className="badge warn">not analysed yet</span> : !tx.settled ? <span className="badge warn">inside its settle window: divergence not judged yet</span> : null}
        {tx.flags.map((f) => <FlagBadge key={f} flag={f} />)}
        {tx.analyzed && tx.flags.length === 0 && <span className="badge ok">clean</span>}
      </p>
      <div className="toolbar">
        <div className="group">
          <button type="button" aria-pressed={view.tz === 'utc'} onClick={() => view.set({ tz: null })}>UTC</button>
          <button type="button" aria-pressed={view.tz === 'local'} onClick={() => view.set({ tz: 'local' })}>Local</button>
        </div>
        <button type="button" onClick={() => download(`${tx.tx_id}.json`, JSON.stringify(tx, null, 2), 'application/json')}>Export JSON</button>
      </div>
      <h2>Why it was flagged</h2>
      <ReasonList reasons={tx.reasons} onShow={showEvent} />
      <h2>Timeline</h2>
      <p className="muted small">One lane per service; each dot is an event at its event time, the grey line runs to when it arrived. Red: an event a reason names; dashed: a redelivered copy. Arrow keys move between events.</p>
      <TimelineLanes layout={layout} tz={view.tz} selected={selectedKey} onSelect={select} />
      {selected && (
        <section className="card" aria-label="Selected event" data-testid="selected-event" style={{ marginTop: '1rem' }}>
          <h3>{selected.event.service} · {selected.event.operation}{selected.event.state ? ` → ${selected.event.state}` : ''}</h3>
          <p className="small">
            Event time <Time value={selected.event.ts} tz={view.tz} precise />, received <Time value={selected.event.received_at} tz={view.tz} precise /> ({formatDuration(selected.lagMs)} later).
            {selected.reasons.map((r, i) => <span key={i}><br /><strong>{r.flag}</strong>: {r.detail}</span>)}
          </p>
          <pre>{JSON.stringify(tx.events[Number(selected.key.split('#').at(-1))], null, 2)}</pre>
        </section>
      )}
      <h2>Merged state path</h2>
      <StatePath path={layout.path} />
      <h2>Final state per service</h2>
      <FinalStates states={tx.last_states} missing={missing} divergent={divergentServices(tx.reasons)} />
      <h2>Events</h2>
      <EventTable rows={placed} raw={tx.events} tz={view.tz} selected={selectedKey} onSelect={select} />
    </>
  );
}
