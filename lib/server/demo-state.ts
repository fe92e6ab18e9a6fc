// What the in-process demo is doing, for the UI and /api/v1/status: whether simulated
// traffic is flowing, which fault scenarios are active or scheduled. Held on globalThis
// because Next bundles its own copy of server modules while the custom server imports the
// source one (as lib/server/runtime.ts does). Written by the demo, read by everyone.
import 'server-only';

export interface DemoScenarioState {
  /** Scenario name as `npx txdrift simulate --help` lists it, e.g. `dup-storm`. */
  name: string;
  /** ISO 8601 times; `end` null while open-ended. */
  start: string;
  end: string | null;
  active: boolean;
}

export interface DemoState {
  active: boolean;
  startedAt: string;
  /** Simulated transactions per second. */
  rate: number;
  /** Hours of history written at start so baselines exist. */
  backfillHours: number;
  /** true while the history is still being written. */
  backfilling: boolean;
  scenarios: DemoScenarioState[];
}

const KEY = Symbol.for('txdrift.demo');
type Holder = { [KEY]?: DemoState };

/** The demo's state, or null when this process runs no demo (TXDRIFT_DEMO=0, or real traffic only). */
export function getDemoState(): DemoState | null {
  return (globalThis as Holder)[KEY] ?? null;
}

export function setDemoState(state: DemoState | null): void {
  const holder = globalThis as Holder;
  if (state) holder[KEY] = state;
  else delete holder[KEY];
}
