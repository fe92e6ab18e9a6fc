// Transaction flags: the shared vocabulary of analysis results (rules, reasons, verdicts),
// used by the SQL path's mappers, the reference implementation, the API and the UI. Pure.

export const FLAGS = ['duplicate_delivery', 'duplicate_execution', 'ordering', 'divergence'] as const;
export type FlagName = (typeof FLAGS)[number];

/** Which rule raised a flag. */
export const RULES = {
  redelivery: 'duplicate_delivery',
  duplicate_execution: 'duplicate_execution',
  sequence_regression: 'ordering',
  causation_inversion: 'ordering',
  invalid_transition: 'ordering',
  missing_participant: 'divergence',
  conflicting_states: 'divergence',
} as const satisfies Record<string, FlagName>;
export type RuleName = keyof typeof RULES;

/** At most this many reasons per rule and transaction are kept (the flag itself is exact). */
export const MAX_REASONS_PER_RULE = 10;
/** At most this many event ids per reason. */
export const MAX_EVENT_IDS_PER_REASON = 20;

export interface FlagReason {
  flag: FlagName;
  rule: RuleName;
  /** The service the reason is attributed to (see README, "Signals"). */
  service: string;
  /** The reason in words. */
  detail: string;
  /** The events behind it, in timeline order. */
  event_ids: string[];
}

export interface TxVerdict {
  tx_id: string;
  tx_type: string;
  /** Epoch microseconds of the first and last event by event time. */
  firstTsUs: number;
  lastTsUs: number;
  /** Services that reported, sorted. */
  services: string[];
  /** Services the transaction counts for in per-service signals: reporters and expected services. */
  countedServices: string[];
  /** Received rows, copies included. */
  received: number;
  flags: Record<FlagName, boolean>;
  /** False while divergence cannot be judged yet (inside settle_after of the last arrival). */
  settled: boolean;
  reasons: FlagReason[];
}

export function isFlagName(s: string): s is FlagName {
  return (FLAGS as readonly string[]).includes(s);
}
