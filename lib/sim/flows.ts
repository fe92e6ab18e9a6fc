// The three transaction flows of the simulated platform (payment, transfer, refund), with the
// ordinary noise that happens inside a flow (provider retries, declines, voids, a second
// notification) and the faults that change a flow's steps (dup-storm, reorder,
// stale-capture). Delivery faults and noise are delivery.ts's. Pure.
import { NOISE, type TxType } from './catalog';
import type { ScenarioName } from './scenarios';
import type { SimEvent, TxBuilder } from './tx-builder';

/** What a flow needs: the builder, the start, the faults asked for; it adds the ones it applied. */
export interface FlowContext {
  b: TxBuilder;
  startMs: number;
  faults: ReadonlySet<ScenarioName>;
  applied: Set<ScenarioName>;
}

export const FLOWS: Record<TxType, (c: FlowContext) => void> = { payment, transfer, refund };

function payment({ b, startMs, faults, applied }: FlowContext): void {
  const edge = b.emit('edge', 'receive', startMs);
  let t = startMs + b.hop('api');
  const created = b.emit('api', 'create', t, { state: 'pending', cause: edge });
  const auth = providerCall(b, 'authorize', `${b.txId}:auth`, t, created);
  t = auth.t + b.hop('payments');
  const declined = b.r.rand() < NOISE.declineRate;
  const state = declined ? 'failed' : 'authorized';
  const authorized = b.emit('payments', 'authorize', t, { state, key: `${b.txId}:auth`, cause: auth.event });
  b.emit('ledger', declined ? 'record' : 'hold', t + b.hop('ledger'), { state, cause: authorized });
  if (declined) return notify(b, t, authorized);

  const stale = faults.has('stale-capture');
  let last = authorized;
  t += b.gap();
  if (stale || b.r.rand() < NOISE.voidRate) {
    const cancel = b.emit('api', 'cancel', t, { cause: created });
    t += b.hop('payments');
    last = b.emit('payments', 'void', t, { state: 'voided', cause: cancel });
    b.emit('ledger', 'release', t + b.hop('ledger'), { state: 'voided', cause: last });
    if (!stale) return notify(b, t, last);
    // A capture job still holding the pre-void state runs later and captures anyway.
    applied.add('stale-capture');
    t += b.gap();
  }
  const cap = providerCall(b, 'capture', `${b.txId}:cap`, t, last);
  t = cap.t + b.hop('payments');
  const captured = b.emit('payments', 'capture', t, { state: 'captured', key: `${b.txId}:cap`, cause: cap.event });
  b.emit('ledger', 'post', t + b.hop('ledger'), { state: 'captured', cause: captured });
  if (faults.has('dup-storm')) {
    // The client timed out too early and retried; the retry path ignores the idempotency key.
    applied.add('dup-storm');
    const retryAt = t + b.uniform(300, 1_500);
    const again = b.emit('provider', 'capture', retryAt, { key: `${b.txId}:cap`, attempt: 2, cause: last });
    b.emit('payments', 'capture', retryAt + b.hop('payments'), { state: 'captured', key: `${b.txId}:cap`, attempt: 2, cause: again });
  }
  notify(b, t, captured);
}

function transfer({ b, startMs, faults, applied }: FlowContext): void {
  const edge = b.emit('edge', 'receive', startMs);
  let t = startMs + b.hop('api');
  const initiated = b.emit('api', 'initiate', t, { state: 'initiated', cause: edge });
  t += b.hop('ledger');
  if (b.r.rand() < NOISE.transferFailRate) {
    const failed = b.emit('ledger', 'debit', t, { state: 'failed', cause: initiated });
    t += b.hop('api');
    const confirmed = b.emit('api', 'confirm', t, { state: 'failed', cause: failed });
    return notify(b, t, confirmed);
  }
  const creditAt = t + b.uniform(80, 600);
  // After a consumer rebalance the credit message is consumed before its debit.
  const swapped = faults.has('reorder');
  if (swapped) applied.add('reorder');
  const debit = b.emit('ledger', 'debit', swapped ? creditAt : t, { state: 'debited', cause: initiated });
  const credit = b.emit('ledger', 'credit', swapped ? t : creditAt, { state: 'credited', cause: debit });
  t = creditAt + b.hop('ledger');
  const complete = b.emit('ledger', 'complete', t, { state: 'completed', cause: credit });
  t += b.hop('api');
  const confirmed = b.emit('api', 'confirm', t, { state: 'completed', cause: complete });
  notify(b, t, confirmed);
}

function refund({ b, startMs }: FlowContext): void {
  const edge = b.emit('edge', 'receive', startMs);
  let t = startMs + b.hop('api');
  const requested = b.emit('api', 'request_refund', t, { state: 'requested', cause: edge });
  t += b.hop('payments');
  if (b.r.rand() < NOISE.refundRejectRate) {
    const rejected = b.emit('payments', 'approve', t, { state: 'rejected', cause: requested });
    b.emit('ledger', 'record', t + b.hop('ledger'), { state: 'rejected', cause: rejected });
    return notify(b, t, rejected);
  }
  const approved = b.emit('payments', 'approve', t, { state: 'approved', cause: requested });
  const call = providerCall(b, 'refund', `${b.txId}:refund`, t, approved);
  t = call.t + b.hop('payments');
  const refunded = b.emit('payments', 'refund', t, { state: 'refunded', key: `${b.txId}:refund`, cause: call.event });
  b.emit('ledger', 'reverse', t + b.hop('ledger'), { state: 'refunded', cause: refunded });
  notify(b, t, refunded);
}

/** payments calls the external provider; now and then the first attempt fails and is retried with the same key. */
function providerCall(b: TxBuilder, operation: string, key: string, t: number, cause: SimEvent): { t: number; event: SimEvent } {
  let attempt = 1;
  t += b.hop('payments');
  if (b.r.rand() < NOISE.providerRetryRate) {
    t += b.hop('provider');
    b.emit('provider', operation, t, { status: 'error', key, attempt, cause });
    t += b.uniform(200, 600);
    attempt = 2;
  }
  t += b.hop('provider');
  return { t, event: b.emit('provider', operation, t, { key, attempt, cause }) };
}

/** The customer is told the outcome; sometimes twice (notify is repeatable). */
function notify(b: TxBuilder, t: number, cause: SimEvent): void {
  const at = t + b.hop('notifier');
  b.emit('notifier', 'notify', at, { cause });
  if (b.r.rand() < NOISE.secondNotifyRate) b.emit('notifier', 'notify', at + b.uniform(1_000, 5_000), { cause });
}
