// Overview: "is anything drifting?" at a glance. Data for the URL's range is prefetched on
// the server (per-request QueryClient) and hydrated, so the first paint already has charts.
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { headers } from 'next/headers';
import { OverviewPanel } from '@/components/overview/overview-panel';
import { FirstEventHelp } from '@/components/status/first-event';
import { rangeFromParams, resolveRange, type RangeSpec } from '@/lib/format/time-range';
import { anomalyKeys } from '@/lib/queries/anomalies';
import { bandsParams, signalKeys } from '@/lib/queries/signals';
import { anomalyList } from '@/lib/server/anomalies-api';
import { getServiceBreakdown } from '@/lib/server/clickhouse/breakdown';
import { hasAnyEvent } from '@/lib/server/clickhouse/overview';
import { getRuntime } from '@/lib/server/runtime';
import { getSignalBands } from '@/lib/server/signal-bands';

export const dynamic = 'force-dynamic';

/** The overview's three queries for this request, under the keys the browser will use. */
async function prefetchOverview(range: RangeSpec, service: string | undefined): Promise<QueryClient> {
  const rt = await getRuntime();
  const now = Date.now();
  const abs = resolveRange(range, now);
  const qc = new QueryClient();
  await Promise.all([
    qc.prefetchQuery({ queryKey: signalKeys.bands({ range, service }), queryFn: () => getSignalBands(rt.db, bandsParams({ range, service }, now), Math.log10(rt.config.detection.threshold)) }),
    qc.prefetchQuery({ queryKey: signalKeys.breakdown(range), queryFn: () => getServiceBreakdown(rt.db, abs) }),
    qc.prefetchQuery({ queryKey: anomalyKeys.list({ range }), queryFn: () => anomalyList(rt.db, abs) }),
  ]);
  return qc;
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === 'string' ? sp[k] : undefined);
  const rt = await getRuntime();
  if (!(await hasAnyEvent(rt.db))) {
    const host = (await headers()).get('host') ?? `${rt.env.HOST}:${rt.env.PORT}`;
    const baseUrl = rt.env.PUBLIC_URL?.replace(/\/$/, '') ?? `http://${host}`;
    return (
      <>
        <h1>Overview</h1>
        <FirstEventHelp baseUrl={baseUrl} needsToken={Boolean(rt.env.INGEST_TOKEN)} />
      </>
    );
  }
  const range = rangeFromParams(one, '6h');
  const service = one('service');
  const qc = await prefetchOverview(range, service);
  return (
    <>
      <h1>Overview</h1>
      <HydrationBoundary state={dehydrate(qc)}>
        <OverviewPanel />
      </HydrationBoundary>
    </>
  );
}
