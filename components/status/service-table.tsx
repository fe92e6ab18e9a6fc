import type { IngestSummary } from '@/lib/server/clickhouse/events';
import { formatCount } from '@/lib/format/number';

export function ServiceTable({ services }: { services: IngestSummary['services'] }) {
  return (
    <table>
      <caption className="muted" style={{ textAlign: 'left', paddingBottom: '0.5rem' }}>Events stored per service</caption>
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col" className="num">Events</th>
          <th scope="col">Last received (UTC)</th>
        </tr>
      </thead>
      <tbody>
        {services.map((s) => (
          <tr key={s.service}>
            <td>{s.service}</td>
            <td className="num">{formatCount(s.events)}</td>
            <td>{s.lastReceivedAt.slice(0, 19).replace('T', ' ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
