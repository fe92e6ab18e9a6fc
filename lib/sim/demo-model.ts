// The demo transaction models as data, for the pure tests and tools that cannot read files.
// config/demo.yaml is the file txdrift loads; lib/server/demo-config.test.ts keeps the two equal.
// Pure.
import { compileModels, type CompiledModel } from '@/lib/analysis/model';
import { ConfigSchema, type TxdriftConfig } from '@/lib/domain/config';

const common = { settle_after: '2m', repeatable: ['notify'] };

export const DEMO_CONFIG_INPUT = {
  models: {
    payment: {
      states: ['pending', 'authorized', 'captured', 'settled', 'failed', 'voided'],
      transitions: { pending: ['authorized', 'failed', 'voided'], authorized: ['captured', 'failed', 'voided'], captured: ['settled', 'failed'] },
      terminal: ['settled', 'failed', 'voided'],
      participants: ['edge', 'api', 'payments', 'ledger'],
      agree: ['payments', 'ledger'],
      ...common,
    },
    transfer: {
      states: ['initiated', 'debited', 'credited', 'completed', 'failed'],
      transitions: { initiated: ['debited', 'failed'], debited: ['credited', 'failed'], credited: ['completed'] },
      terminal: ['completed', 'failed'],
      participants: ['edge', 'api', 'ledger'],
      agree: ['api', 'ledger'],
      ...common,
    },
    refund: {
      states: ['requested', 'approved', 'refunded', 'rejected'],
      transitions: { requested: ['approved', 'rejected'], approved: ['refunded'] },
      terminal: ['refunded', 'rejected'],
      participants: ['edge', 'api', 'payments', 'ledger'],
      agree: ['payments', 'ledger'],
      ...common,
    },
  },
  max_clock_skew: '250ms',
};

export const demoConfig = (): TxdriftConfig => ConfigSchema.parse(DEMO_CONFIG_INPUT);
export const demoModels = (): Map<string, CompiledModel> => compileModels(demoConfig());
