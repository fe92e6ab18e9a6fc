// One small payment as analysis events (api create → payments capture → ledger post), with an
// optional second capture under the same idempotency key (a duplicate execution) and a
// region attribute: the building block of the detection, alerting and UI API tests' histories.
import type { AnalysisEvent } from '@/lib/analysis/reference';

export function paymentEvents(tx: string, startMs: number, duplicate: boolean, region?: string): AnalysisEvent[] {
  const arrivedUs = Date.now() * 1000 - 1e6;
  const base = { tx_id: tx, seq: null, status: 'ok' as const, causation_id: '', tx_type: 'payment', receivedAtUs: arrivedUs, insertedAtUs: arrivedUs };
  const ev = (id: string, service: string, operation: string, state: string, dt: number, key = '') => ({
    ...base, event_id: `${tx}-${id}`, service, operation, state, idempotency_key: key, tsUs: (startMs + dt) * 1000,
  });
  return [
    ev('1', 'api', 'create', 'pending', 0),
    ev('2', 'payments', 'capture', 'captured', 200, `${tx}-cap`),
    ...(duplicate ? [ev('2b', 'payments', 'capture', 'captured', 900, `${tx}-cap`)] : []),
    ev('3', 'ledger', 'post', 'captured', 400),
  ].map((e) => (region === undefined ? e : { ...e, attributes: { region } }) as AnalysisEvent);
}
