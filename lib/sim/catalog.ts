// The simulated platform: its services (latency, clock offset, delivery noise), transaction
// mix, attributes and daily volume curve. Numbers only, no behaviour; flows.ts uses them.
// The states and operations must match the demo model (config/demo.yaml, demo-model.ts).
// Pure.
import type { Prng } from './prng';

export const SERVICES = ['edge', 'api', 'payments', 'provider', 'ledger', 'notifier'] as const;
export type Service = (typeof SERVICES)[number];

export interface Latency {
  medianMs: number;
  p99Ms: number;
  /** A hop never takes less (so a cause always precedes its effect by more than the clock noise). */
  minMs: number;
  /** …nor more (so steps of a flow never overtake each other). */
  maxMs: number;
}

/** Time for a call to reach and be handled by each service. */
export const LATENCY: Record<Service, Latency> = {
  edge: { medianMs: 4, p99Ms: 20, minMs: 1, maxMs: 60 },
  api: { medianMs: 12, p99Ms: 80, minMs: 8, maxMs: 200 },
  payments: { medianMs: 18, p99Ms: 120, minMs: 8, maxMs: 300 },
  provider: { medianMs: 140, p99Ms: 900, minMs: 25, maxMs: 2500 },
  ledger: { medianMs: 35, p99Ms: 300, minMs: 8, maxMs: 700 },
  notifier: { medianMs: 60, p99Ms: 500, minMs: 5, maxMs: 1500 },
};

/**
 * Each service's clock offset in ms: small, as NTP keeps them (max_clock_skew tolerates 250 ms).
 * The stateful services (api, payments, ledger) differ by less than their minimum hop, so
 * their state changes never swap places on the merged timeline.
 */
export const CLOCK_OFFSET_MS: Record<Service, number> = { edge: 0, api: 1, payments: -2, provider: 15, ledger: 2, notifier: -1 };
/** Per-event clock jitter, ± ms. */
export const CLOCK_JITTER_MS = 1;

/** Services whose events travel through a broker (at-least-once: ordinary redeliveries). */
export const BROKERED: ReadonlySet<string> = new Set(['ledger', 'notifier']);

/** Normal noise of the platform: what happens without any fault. */
export const NOISE = {
  /** Per brokered event: delivered twice. */
  redeliveryRate: 0.003,
  /** Per event: reaches ingest 5–60 s late (a buffered exporter, a slow queue). */
  lateRate: 0.02,
  lateMs: [5_000, 60_000] as const,
  /** Transport from emitter to ingest, ordinary case. */
  transport: { medianMs: 150, p99Ms: 2_000, minMs: 10, maxMs: 4_000 } satisfies Latency,
  /** Per provider call: the first attempt fails and is retried with the same idempotency key. */
  providerRetryRate: 0.03,
  /** Per transaction: the customer is notified twice (a repeatable operation). */
  secondNotifyRate: 0.1,
  /** Payments declined, voided by the customer, refunds rejected, transfers failed. */
  declineRate: 0.04,
  voidRate: 0.05,
  refundRejectRate: 0.03,
  transferFailRate: 0.02,
};

/** Share of each transaction type in the traffic. */
export const TX_MIX = [
  ['payment', 0.65],
  ['transfer', 0.25],
  ['refund', 0.1],
] as const;
export type TxType = (typeof TX_MIX)[number][0];

export const REGIONS = [
  ['us-east-1', 0.45],
  ['eu-west-1', 0.35],
  ['ap-south-1', 0.2],
] as const;
export const CLIENTS = [
  ['ios', 0.4],
  ['android', 0.35],
  ['web', 0.25],
] as const;

/** Time a customer or batch takes between the steps of a flow (authorize → capture): at least 1.2 s. */
export const STEP_GAP: Latency = { medianMs: 2_500, p99Ms: 9_000, minMs: 1_200, maxMs: 20_000 };

/**
 * Relative volume at a time of day (UTC): a quiet night, a morning ramp, an afternoon peak.
 * Averages about 1 over a day, so `rate` is the mean transactions per second.
 */
export function volumeFactor(epochMs: number): number {
  const hour = (epochMs / 3_600_000) % 24;
  return 1 + 0.45 * Math.cos(((hour - 15) / 24) * 2 * Math.PI);
}

/** A latency drawn from a log-normal with the given median and 99th percentile, clamped. */
export function drawLatency(r: Prng, l: Latency): number {
  const sigma = Math.log(l.p99Ms / l.medianMs) / 2.326;
  const ms = l.medianMs * Math.exp(sigma * r.gauss());
  return Math.min(l.maxMs, Math.max(l.minMs, ms));
}
