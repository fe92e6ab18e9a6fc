// The machinery of the flag cases (test/support/flag-cases.ts): the shared payment model,
// the two clocks, the compact way cases write events and expectations, and how a case
// becomes rows and expectations with its own tx_id and event ids.
//
// Times (µs): event times are two minutes before T0; phase-1 rows arrive at T0 (settled
// by NOW1) or, in `fresh` phases, at T0 + 90s (not yet settled at NOW1, settled at NOW2);
// phase-2 rows arrive at T0 + 110s (settled at NOW2). T0 follows the real clock (start of
// the current hour) so that the events table's TTL never drops the rows.
import { FLAGS, type FlagName, type RuleName, type TxVerdict } from '@/lib/analysis/flags';
import { compileModels } from '@/lib/analysis/model';
import { paymentConfig } from './models';
import type { AnalysisEvent } from '@/lib/analysis/reference';

export const config = paymentConfig({ settleAfter: '60s', maxClockSkew: '5ms' });
export const models = compileModels(config);
export const SKEW_MS = config.max_clock_skew;

const S = 1_000_000;
export const T0 = Math.floor(Date.now() / 3_600_000) * 3_600 * S;
const EVENT_TIME0 = T0 - 120 * S;
const ARRIVE1 = T0;
const ARRIVE1_FRESH = T0 + 90 * S;
export const NOW1 = T0 + 100 * S;
const ARRIVE2 = T0 + 110 * S;
export const NOW2 = T0 + 200 * S;

/** One event as a case writes it: a short id, event time in ms after the cases' origin. */
export interface Spec {
  id: string;
  service: string;
  op: string;
  ms: number;
  state?: string;
  seq?: number;
  status?: 'ok' | 'error';
  key?: string;
  /** Short id of the causing event. */
  cause?: string;
  type?: string;
  /** Arrives this many seconds after the phase's arrival time (copies, late arrivals). */
  after?: number;
}

/** A reason as expected: rule, service, short event ids (timeline order). */
export type ExpectedReason = [RuleName, string, string[]];

export interface RawPhase {
  events: Spec[];
  /** The flags that are set (all others must be false). */
  flags: FlagName[];
  reasons: ExpectedReason[];
  settled?: boolean;
  /** Phase 1 only: rows arrive 10 s before NOW1, so divergence is not judged yet. */
  fresh?: boolean;
}

export interface RawCase {
  name: string;
  phases: [RawPhase] | [RawPhase, RawPhase];
}

export interface Expectation {
  flags: Record<FlagName, boolean>;
  /** Sorted [rule, service, full event ids]. */
  reasons: ExpectedReason[];
  settled: boolean;
}

export interface FlagCase {
  name: string;
  txId: string;
  /** Rows inserted before pass 1 / pass 2 (phase 2 may be empty), and the verdict after each pass. */
  phases: [{ events: AnalysisEvent[]; expect: Expectation }, { events: AnalysisEvent[]; expect: Expectation }];
}

export const ev = (id: string, service: string, op: string, ms: number, more: Omit<Spec, 'id' | 'service' | 'op' | 'ms'> = {}): Spec => ({ id, service, op, ms, ...more });
export const copy = (of: Spec, after: number, more: Partial<Spec> = {}): Spec => ({ ...of, after, ...more });
export const none = (more: Partial<RawPhase> = {}): RawPhase => ({ events: [], flags: [], reasons: [], ...more });

export function materialize(raw: RawCase, index: number): FlagCase {
  const txId = `c${index}`;
  const full = (id: string) => `${txId}-${id}`;
  const rows = (phase: RawPhase, arrivalUs: number) =>
    phase.events.map((s): AnalysisEvent => {
      const receivedAtUs = arrivalUs + (s.after ?? 0) * S;
      return {
        event_id: full(s.id),
        tx_id: txId,
        service: s.service,
        operation: s.op,
        tsUs: EVENT_TIME0 + Math.round(s.ms * 1000),
        seq: s.seq ?? null,
        status: s.status ?? 'ok',
        state: s.state ?? '',
        idempotency_key: s.key ?? '',
        causation_id: s.cause ? full(s.cause) : '',
        tx_type: s.type ?? 'payment',
        receivedAtUs,
        insertedAtUs: receivedAtUs + 1000,
      };
    });
  const expectation = (phase: RawPhase): Expectation => ({
    flags: Object.fromEntries(FLAGS.map((f) => [f, phase.flags.includes(f)])) as Record<FlagName, boolean>,
    reasons: sortReasons(phase.reasons.map(([rule, service, ids]): ExpectedReason => [rule, service, ids.map(full)])),
    settled: phase.settled ?? true,
  });
  const [p1, p2] = raw.phases;
  const first = { events: rows(p1, p1.fresh ? ARRIVE1_FRESH : ARRIVE1), expect: expectation(p1) };
  const second = p2 ? { events: rows(p2, ARRIVE2), expect: expectation(p2) } : { events: [], expect: first.expect };
  return { name: raw.name, txId, phases: [first, second] };
}

/** A verdict in the shape of an Expectation (reason details dropped). */
export function observed(v: TxVerdict): Expectation {
  return {
    flags: { ...v.flags },
    reasons: sortReasons(v.reasons.map((r): ExpectedReason => [r.rule, r.service, r.event_ids])),
    settled: v.settled,
  };
}

export function sortReasons(reasons: ExpectedReason[]): ExpectedReason[] {
  return [...reasons].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
}

