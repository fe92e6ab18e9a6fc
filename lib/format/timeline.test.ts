import { describe, expect, it } from 'vitest';
import type { FlagReason } from '@/lib/analysis/flags';
import { divergentServices, layoutTimeline, msOf, statePath, type TimelineEvent } from './timeline';

const ev = (id: string, service: string, state: string, ts: string, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
  event_id: id, service, operation: 'op', ts, received_at: ts, state, status: 'ok', seq: null, attempt: 1, redelivered_copy: false, ...extra,
});

describe('timeline layout', () => {
  const events = [
    ev('e1', 'api', 'pending', '2026-11-27T14:00:00.000000Z'),
    ev('e2', 'payments', 'captured', '2026-11-27T14:00:01.000000Z', { received_at: '2026-11-27T14:00:09.000000Z' }),
    ev('e2', 'payments', 'captured', '2026-11-27T14:00:01.000000Z', { redelivered_copy: true }),
    ev('e3', 'api', 'authorized', '2026-11-27T14:00:02.000000Z'),
  ];
  const reasons: FlagReason[] = [
    { flag: 'duplicate_delivery', rule: 'redelivery', service: 'payments', detail: 'e2 received 2 times', event_ids: ['e2'] },
    { flag: 'ordering', rule: 'invalid_transition', service: 'api', detail: 'authorized after captured', event_ids: ['e2', 'e3'] },
    { flag: 'divergence', rule: 'missing_participant', service: 'ledger', detail: 'ledger never reported', event_ids: [] },
  ];
  const layout = layoutTimeline({ events, reasons });

  it('gives every reporting service a lane, and a missing participant an empty one', () => {
    expect(layout.lanes.map((l) => [l.service, l.events.length, l.missing])).toEqual([['api', 2, false], ['payments', 2, false], ['ledger', 0, true]]);
  });

  it('places events by event time and clips the arrival lag to the lane', () => {
    const [first, last] = [layout.lanes[0]!.events[0]!, layout.lanes[0]!.events[1]!];
    expect(first.x).toBeCloseTo(0.0454, 3);
    expect(last.x).toBeCloseTo(0.9545, 3);
    const late = layout.lanes[1]!.events[0]!;
    expect(late.lagMs).toBe(8000);
    expect(late.arrivalX).toBe(1);
  });

  it('puts the redelivery reason on the copy only, and the stale transition on its event', () => {
    const [orig, copy] = layout.lanes[1]!.events;
    expect(orig!.reasons.map((r) => r.rule)).toEqual(['invalid_transition']);
    expect(copy!.reasons.map((r) => r.rule)).toEqual(['redelivery', 'invalid_transition']);
    expect(layout.lanes[0]!.events[1]!.reasons.map((r) => r.rule)).toEqual(['invalid_transition']);
  });

  it('draws the merged state path, copies left out, with the invalid step explained', () => {
    expect(statePath(events, reasons).map((s) => [s.state, s.reason?.detail ?? null])).toEqual([
      ['pending', null], ['captured', null], ['authorized', 'authorized after captured'],
    ]);
  });

  it('keeps microseconds and names the services whose final states disagree', () => {
    expect(msOf('2026-11-27T14:00:00.000250Z') - Date.parse('2026-11-27T14:00:00Z')).toBeCloseTo(0.25, 6);
    const conflict = (service: string): FlagReason => ({ flag: 'divergence', rule: 'conflicting_states', service, detail: 'payments ended captured; ledger ended voided', event_ids: [] });
    expect([...divergentServices([...reasons, conflict('payments'), conflict('ledger')])]).toEqual(['payments', 'ledger']);
    expect(divergentServices(reasons)).toEqual(new Set());
  });
});
