import { AlertsPanel } from '@/components/alerts/alerts-panel';

export const dynamic = 'force-dynamic';

export default function AlertsPage() {
  return (
    <>
      <h1>Alerts</h1>
      <p className="muted">Where anomaly episodes are sent (once when they open, once when they resolve), by which rules, and what each delivery attempt got back.</p>
      <AlertsPanel />
    </>
  );
}
