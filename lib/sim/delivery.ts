// How a transaction's events reach ingest: the transport delay, ordinary late arrivals and
// broker redeliveries (noise), and the delivery faults: a lagging or dropping ledger, a
// redelivery storm, a skewed notifier clock. Pure.
import { BROKERED, drawLatency, NOISE } from './catalog';
import type { Prng } from './prng';
import type { ScenarioName } from './scenarios';
import type { BuiltEvent, SimEvent } from './tx-builder';

/** An event and when it reaches ingest (epoch ms). Redelivered copies share the event. */
export interface Emission {
  event: SimEvent;
  sendAtMs: number;
}

export interface Delivery {
  emissions: Emission[];
  /** Ordinary redeliveries (noise): the transaction gets duplicate_delivery from them. */
  redelivered: number;
  late: number;
}

const LEDGER_LAG_MS = [5 * 60_000, 10 * 60_000] as const;
const SKEW_MS = 3_000;

export function deliver(built: BuiltEvent[], r: Prng, faults: ReadonlySet<ScenarioName>, applied: Set<ScenarioName>): Delivery {
  let events = built;
  const ledger = events.filter((b) => b.event.service === 'ledger');
  if (faults.has('ledger-drop') && ledger.length > 0) {
    events = events.filter((b) => b.event.service !== 'ledger');
    applied.add('ledger-drop');
  }
  if (faults.has('clock-skew') && events.some((b) => b.event.service === 'notifier')) {
    applied.add('clock-skew');
    events = events.map((b) => (b.event.service === 'notifier' ? { ...b, event: { ...b.event, ts: b.event.ts - SKEW_MS - Math.round(r.rand() * 200) } } : b));
  }
  const lagMs = faults.has('ledger-lag') && ledger.length > 0 ? LEDGER_LAG_MS[0] + r.rand() * (LEDGER_LAG_MS[1] - LEDGER_LAG_MS[0]) : 0;
  if (lagMs > 0) applied.add('ledger-lag');
  const storm = faults.has('redelivery-storm') && events.some((b) => BROKERED.has(b.event.service));
  if (storm) applied.add('redelivery-storm');

  const out: Delivery = { emissions: [], redelivered: 0, late: 0 };
  for (const { event, trueMs } of events) {
    let sendAtMs = trueMs + drawLatency(r, NOISE.transport);
    if (r.rand() < NOISE.lateRate) {
      sendAtMs += NOISE.lateMs[0] + r.rand() * (NOISE.lateMs[1] - NOISE.lateMs[0]);
      out.late++;
    }
    if (event.service === 'ledger') sendAtMs += lagMs;
    out.emissions.push({ event, sendAtMs });
    if (!BROKERED.has(event.service)) continue;
    if (r.rand() < NOISE.redeliveryRate) {
      out.emissions.push({ event, sendAtMs: sendAtMs + 1_000 + r.rand() * 29_000 });
      out.redelivered++;
    }
    const copies = storm ? 1 + Math.floor(r.rand() * 3) : 0;
    for (let k = 0; k < copies; k++) out.emissions.push({ event, sendAtMs: sendAtMs + 500 + r.rand() * 19_500 });
  }
  return out;
}
