import { headers } from 'next/headers';
import { FirstEventHelp } from '@/components/status/first-event';
import { ServiceTable } from '@/components/status/service-table';
import { formatCount } from '@/lib/format/number';
import { getIngestSummary } from '@/lib/server/clickhouse/events';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const rt = await getRuntime();
  const summary = await getIngestSummary(rt.db);
  const host = (await headers()).get('host') ?? `${rt.env.HOST}:${rt.env.PORT}`;
  const baseUrl = rt.env.PUBLIC_URL?.replace(/\/$/, '') ?? `http://${host}`;
  return (
    <>
      <h1>Overview</h1>
      <div className="tiles">
        <div className="tile">
          <div className="label">Events stored</div>
          <div className="value" data-testid="events-total">{formatCount(summary.events)}</div>
        </div>
        <div className="tile">
          <div className="label">Transactions</div>
          <div className="value">{formatCount(summary.transactions)}</div>
        </div>
        <div className="tile">
          <div className="label">Services reporting</div>
          <div className="value">{formatCount(summary.services.length)}</div>
        </div>
        <div className="tile">
          <div className="label">Storage</div>
          <div className="value" style={{ fontSize: '1.1rem' }}>{rt.env.mode === 'embedded' ? 'embedded ClickHouse' : 'ClickHouse server'}</div>
        </div>
      </div>
      {summary.events === 0 ? (
        <FirstEventHelp baseUrl={baseUrl} needsToken={Boolean(rt.env.INGEST_TOKEN)} />
      ) : (
        <ServiceTable services={summary.services} />
      )}
    </>
  );
}
