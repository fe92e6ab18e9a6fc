// The demo's switches and its fault cycle.
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '@/lib/sim/scenarios';
import { configFileFor, demoPlans, isDemoEnabled } from './demo';
import { loadEnv } from './env';

describe('the demo', () => {
  it('runs only with every role in one process and TXDRIFT_DEMO not 0', () => {
    expect(isDemoEnabled(loadEnv({}))).toBe(true);
    expect(isDemoEnabled(loadEnv({ TXDRIFT_DEMO: '0' }))).toBe(false);
    expect(isDemoEnabled(loadEnv({ TXDRIFT_ROLE: 'ingest' }))).toBe(false);
  });

  it('uses the demo model only when the user gave no config', () => {
    expect(configFileFor(loadEnv({}), '/repo')).toBe('/repo/config/demo.yaml');
    expect(configFileFor(loadEnv({ TXDRIFT_CONFIG: '/etc/mine.yaml' }), '/repo')).toBe('/etc/mine.yaml');
    expect(configFileFor(loadEnv({ TXDRIFT_DEMO: '0' }), '/repo')).toBeUndefined();
  });

  it('shows every fault within the first cycle, one at a time, the first within minutes', () => {
    const plans = demoPlans();
    const first = plans.filter((p) => p.offsetMs < 45 * 60_000);
    expect(first.map((p) => p.name).sort()).toEqual([...SCENARIO_NAMES].sort());
    expect(first[0]!.offsetMs).toBeLessThanOrEqual(5 * 60_000);
    for (let i = 1; i < plans.length; i++) expect(plans[i]!.offsetMs).toBeGreaterThanOrEqual(plans[i - 1]!.offsetMs + plans[i - 1]!.durationMs!);
  });
});
