// Transaction detail: the cross-service timeline. Prefetched on the server so the timeline
// paints with the page.
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { TransactionPanel } from '@/components/transactions/transaction-panel';
import { transactionKeys } from '@/lib/queries/transactions';
import { getTransaction } from '@/lib/server/clickhouse/transactions';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

export default async function TransactionPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const id = safeDecode(raw);
  const rt = await getRuntime();
  const qc = new QueryClient();
  await qc.prefetchQuery({ queryKey: transactionKeys.detail(id), queryFn: () => getTransaction(rt.db, id) });
  return (
    <>
      <p className="small"><Link href="/transactions">← Transactions</Link></p>
      <h1>Transaction <code>{id}</code></h1>
      <HydrationBoundary state={dehydrate(qc)}>
        <TransactionPanel id={id} />
      </HydrationBoundary>
    </>
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
