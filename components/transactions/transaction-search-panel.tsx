'use client';
// Transactions: search by transaction id, event id or idempotency key, or list flagged
// transactions by flag, service, tx_type and time range. All state in the URL.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { download } from '@/components/ui/download';
import { FlagBadge } from '@/components/ui/flag-badge';
import { ErrorState, Loading } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useViewState } from '@/components/ui/use-view-state';
import { FLAGS } from '@/lib/analysis/flags';
import { toCsv } from '@/lib/format/csv';
import { FLAG_LABEL } from '@/lib/format/signals';
import { searchQuery, transactionListQuery } from '@/lib/queries/transactions';

export function TransactionSearchPanel() {
  const view = useViewState('24h');
  const q = view.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  return (
    <>
      <form role="search" className="form-row" onSubmit={(e) => (e.preventDefault(), view.set({ q: draft.trim(), cursor: null }))}>
        <label style={{ flex: 1 }}>
          Transaction id, event id or idempotency key
          <input name="q" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="pay-123, evt-9, pay-123:capture" style={{ width: '100%' }} />
        </label>
        <button type="submit">Search</button>
        {q && <button type="button" onClick={() => (setDraft(''), view.set({ q: null }))}>Clear search</button>}
      </form>
      {q ? <SearchResults q={q} tz={view.tz} /> : <FlaggedList />}
    </>
  );
}

function SearchResults({ q, tz }: { q: string; tz: 'utc' | 'local' }) {
  const r = useQuery(searchQuery(q));
  if (r.isPending) return <Loading height={160} />;
  if (r.isError) return <ErrorState error={r.error} retry={() => void r.refetch()} />;
  if (r.data.matches.length === 0) return <p className="empty">No transaction has the id, an event id or an idempotency key “{q}”. Ids match exactly.</p>;
  return (
    <table data-testid="search-results">
      <thead><tr><th>Transaction</th><th>Matched</th><th>Type</th><th>First event</th><th>Services</th><th className="num">Events</th><th>Flags</th></tr></thead>
      <tbody>
        {r.data.matches.map((m) => (
          <tr key={m.tx_id}>
            <td><Link href={`/transactions/${encodeURIComponent(m.tx_id)}`}>{m.tx_id}</Link></td>
            <td>{m.matched.join(', ')}</td>
            <td>{m.tx_type}</td>
            <td><Time value={m.first_ts} tz={tz} /></td>
            <td>{m.services.join(', ')}</td>
            <td className="num">{m.events}</td>
            <td>{m.flags.length ? m.flags.map((f) => <FlagBadge key={f} flag={f} />) : <span className="muted">none</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FlaggedList() {
  const view = useViewState('24h');
  const f = { flag: view.get('flag'), service: view.get('service'), tx_type: view.get('tx_type'), cursor: view.get('cursor') };
  const r = useQuery(transactionListQuery({ range: view.range, ...f }));
  const rows = r.data?.transactions ?? [];
  const exportCsv = () =>
    download('transactions.csv', toCsv(['tx_id', 'tx_type', 'first_ts', 'services', 'flags', 'reasons'], rows.map((t) => ({ ...t, flags: t.flags.map((x) => x.flag), reasons: t.flags.map((x) => `${x.flag}: ${x.reason}`).join(' | ') }))), 'text/csv');
  return (
    <>
      <TimeRangePicker view={view} fetching={r.isFetching} />
      <form className="form-row" aria-label="Filters" onSubmit={(e) => e.preventDefault()} style={{ marginBottom: '1rem' }}>
        <label>
          Flag
          <select value={f.flag ?? ''} onChange={(e) => view.set({ flag: e.target.value, cursor: null })}>
            <option value="">any flag</option>
            {FLAGS.map((x) => <option key={x} value={x}>{FLAG_LABEL[x]}</option>)}
          </select>
        </label>
        <TextFilter label="Service" value={f.service} onChange={(v) => view.set({ service: v, cursor: null })} />
        <TextFilter label="Transaction type" value={f.tx_type} onChange={(v) => view.set({ tx_type: v, cursor: null })} />
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>Export these rows as CSV</button>
      </form>
      <p className="muted small">Flagged transactions that started in the range, newest first.</p>
      {r.isPending ? (
        <Loading height={240} />
      ) : r.isError ? (
        <ErrorState error={r.error} retry={() => void r.refetch()} />
      ) : rows.length === 0 ? (
        <p className="empty">No flagged transaction matches these filters in this range.</p>
      ) : (
        <>
          <table data-testid="transaction-list" aria-busy={r.isPlaceholderData} className={r.isPlaceholderData ? 'stale' : undefined}>
            <thead><tr><th>Transaction</th><th>Type</th><th>Started</th><th>Services</th><th>Flags and reasons</th></tr></thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.tx_id}>
                  <td><Link href={`/transactions/${encodeURIComponent(t.tx_id)}`}>{t.tx_id}</Link></td>
                  <td>{t.tx_type}</td>
                  <td><Time value={t.first_ts} tz={view.tz} /></td>
                  <td>{t.services.join(', ')}</td>
                  <td className="small">{t.flags.map((x) => <div key={x.flag}><FlagBadge flag={x.flag} /> {x.service}: {x.reason}</div>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" disabled={!f.cursor} onClick={() => view.set({ cursor: null })}>First page</button>
            <button type="button" disabled={!r.data.next_cursor} onClick={() => view.set({ cursor: r.data.next_cursor })}>Next page</button>
          </div>
        </>
      )}
    </>
  );
}

function TextFilter({ label, value, onChange }: { label: string; value?: string; onChange: (v: string | null) => void }) {
  const [draft, setDraft] = useState(value ?? '');
  return (
    <label>
      {label}
      <input value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={() => draft !== (value ?? '') && onChange(draft.trim() || null)} onKeyDown={(e) => e.key === 'Enter' && onChange(draft.trim() || null)} placeholder="any" />
    </label>
  );
}
