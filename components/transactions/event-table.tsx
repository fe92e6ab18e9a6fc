'use client';
// Every event of the transaction as a table (the timeline's table alternative), each row's
// raw JSON on demand.
import { Time } from '@/components/ui/time';
import { formatDuration, type TimeZoneMode } from '@/lib/format/time';
import type { PlacedEvent } from '@/lib/format/timeline';
import type { TransactionDetail } from '@/lib/queries/transactions';

export function EventTable({ rows, raw, tz, selected, onSelect }: { rows: PlacedEvent[]; raw: TransactionDetail['events']; tz: TimeZoneMode; selected: string | null; onSelect: (key: string) => void }) {
  return (
    <table data-testid="event-table">
      <thead>
        <tr><th>Event time</th><th>Service</th><th>Operation</th><th>State</th><th>Status</th><th className="num">Seq</th><th className="num">Arrival lag</th><th>Why flagged</th><th>Raw</th></tr>
      </thead>
      <tbody>
        {rows.map((p) => {
          const i = Number(p.key.split('#').at(-1));
          return (
            <tr key={p.key} className={p.reasons.length ? 'hot' : undefined} aria-selected={selected === p.key} id={`evt-${p.key}`}>
              <td><button type="button" className="small" onClick={() => onSelect(p.key)} aria-pressed={selected === p.key}><Time value={p.event.ts} tz={tz} precise /></button></td>
              <td>{p.event.service}</td>
              <td>{p.event.operation}{p.event.attempt > 1 ? ` (attempt ${p.event.attempt})` : ''}</td>
              <td>{p.event.state || <span className="muted">—</span>}</td>
              <td>{p.event.status}{p.event.redelivered_copy ? <span className="badge warn">copy</span> : null}</td>
              <td className="num">{p.event.seq ?? '—'}</td>
              <td className="num">{formatDuration(p.lagMs)}</td>
              <td className="small">{p.reasons.map((r) => r.detail).join('; ')}</td>
              <td>
                <details>
                  <summary>JSON</summary>
                  <pre>{JSON.stringify(raw[i], null, 2)}</pre>
                </details>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
