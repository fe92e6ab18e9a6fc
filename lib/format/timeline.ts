// The transaction timeline's layout: one lane per service (plus lanes for expected services
// that never reported), each event placed at its event time with its arrival lag, the
// merged state path, and which reasons point at which events. Pure.
import type { FlagReason } from '@/lib/analysis/flags';

export interface TimelineEvent {
  event_id: string;
  service: string;
  operation: string;
  ts: string;
  received_at: string;
  state: string;
  status: 'ok' | 'error';
  seq: number | null;
  attempt: number;
  redelivered_copy: boolean;
}

export interface PlacedEvent {
  key: string;
  event: TimelineEvent;
  /** 0..1 across the lane. */
  x: number;
  /** Where its arrival lands (0..1, clipped), and the lag in ms. */
  arrivalX: number;
  lagMs: number;
  /** Reasons naming this event. */
  reasons: FlagReason[];
}

export interface Lane { service: string; events: PlacedEvent[]; missing: boolean }

export interface StateStep { state: string; service: string; event_id: string; reason: FlagReason | null }

export interface TimelineLayout {
  startMs: number;
  endMs: number;
  lanes: Lane[];
  path: StateStep[];
  ticks: { x: number; t: number }[];
}

/** Event times with microseconds → ms with fractions, so sub-ms ordering stays visible. */
export function msOf(iso: string): number {
  const m = /\.(\d{3})(\d{3})Z$/.exec(iso);
  return Date.parse(iso) + (m ? Number(m[2]) / 1000 : 0);
}

export function layoutTimeline(tx: { events: TimelineEvent[]; reasons: FlagReason[] }): TimelineLayout {
  const times = tx.events.map((e) => msOf(e.ts));
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const pad = Math.max((hi - lo) * 0.05, 1);
  const startMs = lo - pad;
  const endMs = hi + pad;
  const x = (t: number) => Math.min(1, Math.max(0, (t - startMs) / (endMs - startMs)));
  const byEvent = new Map<string, FlagReason[]>();
  for (const r of tx.reasons) for (const id of r.event_ids) byEvent.set(id, [...(byEvent.get(id) ?? []), r]);

  const lanes = new Map<string, Lane>();
  tx.events.forEach((e, i) => {
    const lane = lanes.get(e.service) ?? { service: e.service, events: [], missing: false };
    const t = msOf(e.ts);
    const reasons = (byEvent.get(e.event_id) ?? []).filter((r) => !(r.flag === 'duplicate_delivery' && !e.redelivered_copy));
    lane.events.push({ key: `${e.event_id}#${i}`, event: e, x: x(t), arrivalX: x(msOf(e.received_at)), lagMs: msOf(e.received_at) - t, reasons });
    lanes.set(e.service, lane);
  });
  for (const r of tx.reasons) {
    if (r.rule === 'missing_participant' && !lanes.has(r.service)) lanes.set(r.service, { service: r.service, events: [], missing: true });
  }
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ x: f, t: startMs + f * (endMs - startMs) }));
  return { startMs, endMs, lanes: [...lanes.values()], path: statePath(tx.events, tx.reasons), ticks };
}

/** The merged state path: ok events with a state, copies left out, repeats collapsed; a step an invalid-transition reason names carries it. */
export function statePath(events: TimelineEvent[], reasons: FlagReason[]): StateStep[] {
  const invalid = new Map(reasons.filter((r) => r.rule === 'invalid_transition').map((r) => [r.event_ids.at(-1) ?? '', r]));
  const steps: StateStep[] = [];
  for (const e of events) {
    if (e.redelivered_copy || e.status !== 'ok' || e.state === '') continue;
    const reason = invalid.get(e.event_id) ?? null;
    if (steps.at(-1)?.state === e.state && !reason) continue;
    steps.push({ state: e.state, service: e.service, event_id: e.event_id, reason });
  }
  return steps;
}

/** Services whose final state disagrees, as the divergence reasons name them (conflicting states). */
export function divergentServices(reasons: FlagReason[]): Set<string> {
  return new Set(reasons.filter((r) => r.rule === 'conflicting_states').map((r) => r.service));
}
