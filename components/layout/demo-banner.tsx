// Says plainly when the traffic on screen is simulated by txdrift's own demo. Server component.
import type { DemoState } from '@/lib/server/demo-state';

export function DemoBanner({ demo }: { demo: DemoState | null }) {
  if (!demo?.active) return null;
  const active = demo.scenarios.filter((s) => s.active).map((s) => s.name);
  return (
    <div className="demo-banner" role="status" data-testid="demo-banner">
      <strong>Demo traffic — simulated by txdrift</strong> ({demo.rate} transactions/s
      {demo.backfilling ? `, writing ${demo.backfillHours} h of history` : ''}
      {active.length ? `; faults now: ${active.join(', ')}` : ''}). Set <code>TXDRIFT_DEMO=0</code> to run on your own events only.
    </div>
  );
}
