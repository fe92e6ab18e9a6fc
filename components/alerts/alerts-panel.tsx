'use client';
// The alerts page's sections, sharing the URL's view state.
import { useViewState } from '@/components/ui/use-view-state';
import { DeliveriesPanel } from './deliveries-panel';
import { DestinationsPanel } from './destinations-panel';
import { RulesPanel } from './rules-panel';

export function AlertsPanel() {
  const view = useViewState();
  return (
    <>
      <h2>Destinations</h2>
      <DestinationsPanel tz={view.tz} />
      <h2>Rules</h2>
      <RulesPanel tz={view.tz} />
      <h2>Delivery log</h2>
      <DeliveriesPanel view={view} />
    </>
  );
}
