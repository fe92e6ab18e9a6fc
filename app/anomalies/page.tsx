import { AnomalyListPanel } from '@/components/anomalies/anomaly-list-panel';

export const dynamic = 'force-dynamic';

export default function AnomaliesPage() {
  return (
    <>
      <h1>Anomalies</h1>
      <p className="muted">Episodes the detector opened: a signal on a service (or all services together) outside its normal range for several minutes.</p>
      <AnomalyListPanel />
    </>
  );
}
