import Link from 'next/link';
import { AnomalyDetailPanel } from '@/components/anomalies/anomaly-detail-panel';

export const dynamic = 'force-dynamic';

export default async function AnomalyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <p className="small"><Link href="/anomalies">← Anomalies</Link></p>
      <AnomalyDetailPanel id={id} />
    </>
  );
}
