import { describe, expect, it } from 'vitest';
import { ConfigSchema, TxModelSchema } from '@/lib/domain/config';
import { paymentConfig } from '@/test/support/models';
import { compileModel, compileModels, isAllowedMove } from './model';

const payment = compileModel('payment', paymentConfig({ settleAfter: '60s' }).models.payment!);

const sorted = (s: Set<string> | undefined) => [...(s ?? [])].sort();

describe('compileModel', () => {
  it('closes transitions transitively', () => {
    expect(sorted(payment.reachable.get('pending'))).toEqual(['authorized', 'captured', 'failed', 'settled', 'voided']);
    expect(sorted(payment.reachable.get('authorized'))).toEqual(['captured', 'failed', 'settled', 'voided']);
    expect(sorted(payment.reachable.get('captured'))).toEqual(['failed', 'settled']);
  });

  it('gives terminal states (no transitions) an empty reachable set, and every state an entry', () => {
    expect(sorted(payment.reachable.get('settled'))).toEqual([]);
    expect(sorted(payment.reachable.get('voided'))).toEqual([]);
    expect([...payment.reachable.keys()].sort()).toEqual(['authorized', 'captured', 'failed', 'pending', 'settled', 'voided']);
  });

  it('terminates on cycles, and a state on a cycle reaches itself', () => {
    const m = compileModel('loop', TxModelSchema.parse({ states: ['a', 'b', 'c'], transitions: { a: ['b'], b: ['a', 'c'] } }));
    expect(sorted(m.reachable.get('a'))).toEqual(['a', 'b', 'c']);
    expect(sorted(m.reachable.get('b'))).toEqual(['a', 'b', 'c']);
    expect(sorted(m.reachable.get('c'))).toEqual([]);
  });

  it('expects participants, and agree services too when there are no participants', () => {
    expect(payment.expected).toEqual(['edge', 'payments', 'ledger']);
    expect(payment.agree).toEqual(['payments', 'ledger']);
    const m = compileModel('t', TxModelSchema.parse({ states: ['x'], agree: ['a', 'b'] }));
    expect(m.expected).toEqual(['a', 'b']);
  });

  it('carries repeatable operations and settle_after (default 5m)', () => {
    expect([...payment.repeatable]).toEqual(['notify']);
    expect(payment.settleAfterMs).toBe(60_000);
    expect(compileModel('t', TxModelSchema.parse({ states: ['x'] })).settleAfterMs).toBe(300_000);
  });

  it('compiles every model of a config by tx_type', () => {
    const models = compileModels(ConfigSchema.parse({ models: { a: { states: ['x'] }, b: { states: ['y'], transitions: { y: ['y'] } } } }));
    expect([...models.keys()]).toEqual(['a', 'b']);
    expect(models.get('b')!.txType).toBe('b');
    expect(sorted(models.get('b')!.reachable.get('y'))).toEqual(['y']);
  });
});

describe('isAllowedMove', () => {
  it.each([
    ['pending', 'authorized', true],
    ['pending', 'captured', true], // skipped, but reachable
    ['pending', 'settled', true],
    ['authorized', 'voided', true],
    ['captured', 'authorized', false], // backwards
    ['voided', 'captured', false], // stale: capture after void
    ['failed', 'settled', false], // stale: settle after failure
    ['settled', 'failed', false],
    ['authorized', 'bogus', false], // into an unknown state
    ['bogus', 'captured', false], // out of an unknown state
  ])('%s → %s: %s', (from, to, allowed) => {
    expect(isAllowedMove(payment, from, to)).toBe(allowed);
  });

  it.each(['pending', 'captured', 'settled', 'voided', 'bogus'])('a state may always repeat itself: %s', (s) => {
    expect(isAllowedMove(payment, s, s)).toBe(true);
  });
});
