'use client';
// The episode's affected transactions, a page at a time (the cursor in the URL), with the
// listed rows exportable as CSV.
import Link from 'next/link';
import { download } from '@/components/ui/download';
import { toCsv } from '@/lib/format/csv';
import { formatCount } from '@/lib/format/number';
import type { Anomaly, AnomalyDetail } from '@/lib/queries/anomalies';

export function AffectedTable({ a, affected, page, onPage }: { a: Anomaly; affected: AnomalyDetail['affected']; page: number; onPage: (after: string | null, page: number) => void }) {
  const rows = affected.tx_ids.map((tx_id) => ({ tx_id, anomaly_id: a.id, signal: a.signal, service: a.service || 'all', url: `/transactions/${encodeURIComponent(tx_id)}` }));
  const exportCsv = () => download(`${a.id}-affected-page${page}.csv`, toCsv(['tx_id', 'anomaly_id', 'signal', 'service', 'url'], rows), 'text/csv');
  return (
    <>
      <div className="toolbar">
        <span>
          {formatCount(affected.total)} affected transactions; showing {formatCount(rows.length)} (page {page}).
        </span>
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>Export these rows as CSV</button>
      </div>
      <table data-testid="affected">
        <thead><tr><th>Transaction</th><th>Signal</th><th>Service</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.tx_id}>
              <td><Link href={r.url}>{r.tx_id}</Link></td>
              <td>{r.signal}</td>
              <td>{r.service}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" disabled={page <= 1} onClick={() => onPage(null, 1)}>First page</button>
        <button type="button" disabled={!affected.next_after} onClick={() => onPage(affected.next_after ?? null, page + 1)}>Next page</button>
      </div>
    </>
  );
}
