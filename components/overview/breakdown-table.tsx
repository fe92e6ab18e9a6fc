// Which service drives the drift: per-service flag counts and rates; a row selects the service.
import { FLAGS } from '@/lib/analysis/flags';
import { formatCount, formatPercent } from '@/lib/format/number';
import { FLAG_LABEL } from '@/lib/format/signals';
import type { ServiceBreakdown } from '@/lib/server/clickhouse/breakdown';

export function BreakdownTable({ services, selected, onSelect }: { services: ServiceBreakdown[]; selected?: string; onSelect: (service: string | null) => void }) {
  return (
    <table data-testid="breakdown">
      <caption className="visually-hidden">Per-service breakdown</caption>
      <thead>
        <tr>
          <th>Service</th>
          <th className="num">Events</th>
          <th className="num">Transactions</th>
          {FLAGS.map((f) => <th key={f} className="num">{FLAG_LABEL[f]}</th>)}
        </tr>
      </thead>
      <tbody>
        {services.map((s) => (
          <tr key={s.service} className={s.flagged.count > 0 && s.service === services[0]?.service ? 'hot' : undefined}>
            <td>
              <button type="button" aria-pressed={selected === s.service} onClick={() => onSelect(selected === s.service ? null : s.service)} title="Show this service's signals">
                {s.service}
              </button>
            </td>
            <td className="num">{formatCount(s.events)}</td>
            <td className="num">{formatCount(s.transactions)}</td>
            {FLAGS.map((f) => (
              <td key={f} className="num">
                {formatCount(s.flags[f].count)} <span className="muted small">({formatPercent(s.flags[f].rate)})</span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
