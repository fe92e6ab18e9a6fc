// Parses the simulator's fault options: `--scenario NAME` (active from the start of live
// traffic until the end) and `--schedule NAME@±OFFSET[/DURATION]` (e.g. dup-storm@+5m/3m:
// from 5 minutes after live traffic starts, for 3 minutes; a negative offset places it in
// the backfilled history). Errors name the bad value and what was expected. Pure.
import { durationMs } from '@/lib/domain/duration';
import { SCENARIO_NAMES, isScenarioName, type ScenarioName } from './scenarios';

export interface ScenarioPlan {
  name: ScenarioName;
  /** From the start of live traffic; negative = inside the backfilled history. */
  offsetMs: number;
  /** null: until the simulator stops. */
  durationMs: number | null;
}

export class ScheduleError extends Error {}

const known = () => `known scenarios: ${SCENARIO_NAMES.join(', ')}`;

/** `--scenario` values: one name or a comma list each. */
export function parseScenarios(values: string[]): ScenarioPlan[] {
  return values.flatMap((v) => v.split(',')).filter((s) => s.trim() !== '').map((raw) => {
    const name = raw.trim();
    if (!isScenarioName(name)) throw new ScheduleError(`--scenario: unknown scenario "${name}" (${known()})`);
    return { name, offsetMs: 0, durationMs: null };
  });
}

/** `--schedule` values: NAME@+OFFSET or NAME@+OFFSET/DURATION (or -OFFSET), comma lists allowed. */
export function parseSchedule(values: string[]): ScenarioPlan[] {
  return values.flatMap((v) => v.split(',')).filter((s) => s.trim() !== '').map((raw) => {
    const item = raw.trim();
    const m = /^([a-z-]+)@([+-])([^/]+)(?:\/(.+))?$/.exec(item);
    if (!m) throw new ScheduleError(`--schedule: "${item}" is not NAME@+OFFSET[/DURATION], e.g. dup-storm@+5m/3m`);
    const [, name, sign, offset, duration] = m as unknown as [string, string, string, string, string | undefined];
    if (!isScenarioName(name)) throw new ScheduleError(`--schedule: unknown scenario "${name}" in "${item}" (${known()})`);
    const offsetMs = durationMs(offset);
    if (offsetMs === null) throw new ScheduleError(`--schedule: offset "${offset}" in "${item}" is not a duration such as 30s, 5m or 2h`);
    const lengthMs = duration === undefined ? null : durationMs(duration);
    if (duration !== undefined && !lengthMs) throw new ScheduleError(`--schedule: duration "${duration}" in "${item}" is not a positive duration such as 30s, 5m or 2h`);
    return { name, offsetMs: sign === '-' ? -offsetMs : offsetMs, durationMs: lengthMs };
  });
}

/** The plans as generator windows, relative to the start of live traffic. */
export function windowsFrom(plans: ScenarioPlan[], liveStartMs: number) {
  return plans.map((p) => ({ name: p.name, fromMs: liveStartMs + p.offsetMs, toMs: p.durationMs === null ? null : liveStartMs + p.offsetMs + p.durationMs }));
}
