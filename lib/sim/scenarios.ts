// Fault scenarios: what each one does to the platform and, as ground truth, which flags it
// produces on the transactions it touches and which services those flags are attributed to.
// flows.ts and delivery.ts carry the behaviour; this is the catalogue. Pure.
import type { FlagName } from '@/lib/analysis/flags';
import type { TxType } from './catalog';

export const SCENARIO_NAMES = ['dup-storm', 'reorder', 'ledger-lag', 'ledger-drop', 'stale-capture', 'redelivery-storm', 'clock-skew'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioSpec {
  name: ScenarioName;
  /** One line for --help and the ground-truth printout. */
  summary: string;
  /** Flags every transaction it touches gets (ground truth). */
  flags: FlagName[];
  /** Services those flags are attributed to. */
  services: string[];
  /** Transaction types it can touch (all when null). */
  txTypes: TxType[] | null;
  /** Only transactions from this region (a regional deploy), when set. */
  region?: string;
  /** Share of eligible transactions it touches while active. */
  share: number;
  /** True when the flags clear by themselves once the fault ends (late data arrives). */
  transient: boolean;
}

export const SCENARIOS: Record<ScenarioName, ScenarioSpec> = {
  'dup-storm': {
    name: 'dup-storm',
    summary: 'a retry misconfiguration in eu-west-1: payments and the provider capture twice under one idempotency key',
    flags: ['duplicate_execution'],
    services: ['payments', 'provider'],
    txTypes: ['payment'],
    region: 'eu-west-1',
    share: 0.6,
    transient: false,
  },
  reorder: {
    name: 'reorder',
    summary: 'a consumer rebalance: the ledger applies transfer credits before their debits',
    flags: ['ordering'],
    services: ['ledger'],
    txTypes: ['transfer'],
    share: 0.5,
    transient: false,
  },
  'ledger-lag': {
    name: 'ledger-lag',
    summary: 'the ledger lags 5–10 minutes behind: transactions look divergent until it catches up',
    flags: ['divergence'],
    services: ['ledger'],
    txTypes: null,
    share: 0.5,
    transient: true,
  },
  'ledger-drop': {
    name: 'ledger-drop',
    summary: 'the ledger consumer skips messages: some transactions never reach the ledger',
    flags: ['divergence'],
    services: ['ledger'],
    txTypes: null,
    share: 0.25,
    transient: false,
  },
  'stale-capture': {
    name: 'stale-capture',
    summary: 'payments captures from stale state: a capture after the payment was voided',
    flags: ['ordering'],
    services: ['payments'],
    txTypes: ['payment'],
    share: 0.3,
    transient: false,
  },
  'redelivery-storm': {
    name: 'redelivery-storm',
    summary: 'the broker redelivers ledger and notifier events 2–4 times',
    flags: ['duplicate_delivery'],
    services: ['ledger', 'notifier'],
    txTypes: null,
    share: 0.5,
    transient: false,
  },
  'clock-skew': {
    name: 'clock-skew',
    summary: "the notifier's clock runs 3 s behind: notifications precede what caused them",
    flags: ['ordering'],
    services: ['notifier'],
    txTypes: null,
    share: 1,
    transient: false,
  },
};

export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(s);
}

/** Flags the ordinary noise of the platform may raise (ordinary redeliveries); nothing else. */
export const NOISE_FLAGS: readonly FlagName[] = ['duplicate_delivery'];
