// DESIGN.md's payment model, the one tests and benchmarks share; callers choose the settle
// time and clock skew their scenario needs.
import { compileModels } from '@/lib/analysis/model';
import { ConfigSchema, type TxdriftConfig } from '@/lib/domain/config';

export const PAYMENT_MODEL = {
  states: ['pending', 'authorized', 'captured', 'settled', 'failed', 'voided'],
  transitions: { pending: ['authorized', 'failed', 'voided'], authorized: ['captured', 'failed', 'voided'], captured: ['settled', 'failed'] },
  terminal: ['settled', 'failed', 'voided'],
  participants: ['edge', 'payments', 'ledger'],
  agree: ['payments', 'ledger'],
  settle_after: '5m',
  repeatable: ['notify'],
};

export function paymentConfig(opts: { settleAfter?: string; maxClockSkew?: string } = {}): TxdriftConfig {
  return ConfigSchema.parse({
    models: { payment: { ...PAYMENT_MODEL, settle_after: opts.settleAfter ?? PAYMENT_MODEL.settle_after } },
    max_clock_skew: opts.maxClockSkew ?? '0ms',
  });
}

export const paymentModels = (opts: Parameters<typeof paymentConfig>[0] = {}) => compileModels(paymentConfig(opts));
