import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { suggestModel, type ObservedStep, type ObservedTx } from './suggest';

const step = (service: string, operation: string, state = '', ok = true, keyed = true): ObservedStep => ({ service, operation, ok, state, keyed });
const happy = (): ObservedTx => ({
  steps: [
    step('api', 'create', 'pending'),
    step('payments', 'authorize', 'authorized'),
    step('payments', 'capture', 'captured'),
    step('ledger', 'post', 'captured'),
    step('notifier', 'notify', '', true, false),
    step('notifier', 'notify', '', true, false),
  ],
  durationMs: 2_000,
});

describe('suggestModel', () => {
  const txs: ObservedTx[] = [
    ...Array.from({ length: 97 }, happy),
    // one void, one stale capture-after-void (rare: seen once, so left out), one without ledger
    { steps: [step('api', 'create', 'pending'), step('payments', 'void', 'voided'), step('ledger', 'post', 'voided')], durationMs: 1_000 },
    { steps: [step('api', 'create', 'pending'), step('payments', 'void', 'voided'), step('payments', 'capture', 'captured'), step('ledger', 'post', 'captured')], durationMs: 1_000 },
    { steps: [step('api', 'create', 'pending'), step('payments', 'authorize', 'authorized')], durationMs: 90_000 },
  ];
  const s = suggestModel('payment', txs);
  const model = (parse(s.yaml) as { models: { payment: Record<string, unknown> } }).models.payment;

  it('orders states as they usually occur', () => {
    expect(model.states).toEqual(['pending', 'authorized', 'voided', 'captured']);
  });

  it('proposes transitions seen often enough and lists the rest as left out, with frequencies', () => {
    expect(model.transitions).toEqual({ pending: ['authorized'], authorized: ['captured'] });
    expect(s.transitions.find((t) => t.from === 'voided' && t.to === 'captured')).toEqual({ from: 'voided', to: 'captured', count: 1, share: 1, proposed: false });
    expect(s.yaml).toContain('#   left out: voided -> captured seen 1 times');
    expect(model.terminal).toEqual(['voided', 'captured']);
  });

  it('finds participants, the agree group and repeatable operations', () => {
    expect(model.participants).toEqual(['api', 'payments', 'ledger', 'notifier']);
    expect(s.participants.find((p) => p.service === 'ledger')?.share).toBe(0.99);
    expect(model.agree).toEqual(['payments', 'ledger']);
    expect(model.repeatable).toEqual(['notify']);
  });

  it('proposes a settle time of twice the 99th percentile duration, in whole minutes', () => {
    expect(model.settle_after).toBe('3m');
  });

  it('proposes no agree group when final states disagree often', () => {
    const disagreeing = Array.from({ length: 20 }, (_, i): ObservedTx => ({
      steps: [step('payments', 'capture', 'captured'), step('ledger', 'post', i % 3 === 0 ? 'pending' : 'captured')],
      durationMs: 100,
    }));
    const result = suggestModel('payment', disagreeing);
    expect(result.agree.services).toEqual([]);
    expect(result.agree.agreement).toBeCloseTo(13 / 20);
  });
});
