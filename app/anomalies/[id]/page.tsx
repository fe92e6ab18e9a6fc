// One anomaly episode. The episode and its first page of affected transactions are
// prefetched on the server; the series and notifications load in the browser.
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { AnomalyDetailPanel } from '@/components/anomalies/anomaly-detail-panel';
import { anomalyKeys } from '@/lib/queries/anomalies';
import { anomalyDetail } from '@/lib/server/anomalies-api';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

export default async function AnomalyPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const sp = await searchParams;
  const after = typeof sp.after === 'string' ? sp.after : '';
  const rt = await getRuntime();
  const qc = new QueryClient();
  await qc.prefetchQuery({ queryKey: anomalyKeys.detail(id, after, 50), queryFn: () => anomalyDetail(rt.db, id, { limit: 50, after: after || undefined }) });
  return (
    <>
      <p className="small"><Link href="/anomalies">← Anomalies</Link></p>
      <HydrationBoundary state={dehydrate(qc)}>
        <AnomalyDetailPanel id={id} />
      </HydrationBoundary>
    </>
  );
}
