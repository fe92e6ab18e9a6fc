import { describe, expect, it } from 'vitest';
import { parseScenarios, parseSchedule, windowsFrom } from './schedule';

describe('fault options', () => {
  it('reads scenario names, repeated or comma separated', () => {
    expect(parseScenarios(['dup-storm', 'reorder,clock-skew'])).toEqual([
      { name: 'dup-storm', offsetMs: 0, durationMs: null },
      { name: 'reorder', offsetMs: 0, durationMs: null },
      { name: 'clock-skew', offsetMs: 0, durationMs: null },
    ]);
  });

  it('reads schedules with offsets before or after the live start, with or without a duration', () => {
    expect(parseSchedule(['dup-storm@+5m/3m', 'ledger-lag@-2h/10m,reorder@+30s'])).toEqual([
      { name: 'dup-storm', offsetMs: 300_000, durationMs: 180_000 },
      { name: 'ledger-lag', offsetMs: -7_200_000, durationMs: 600_000 },
      { name: 'reorder', offsetMs: 30_000, durationMs: null },
    ]);
    expect(windowsFrom(parseSchedule(['dup-storm@+5m/3m']), 1_000_000)).toEqual([{ name: 'dup-storm', fromMs: 1_300_000, toMs: 1_480_000 }]);
  });

  it('names what is wrong and what was expected', () => {
    expect(() => parseScenarios(['dup-strom'])).toThrow('--scenario: unknown scenario "dup-strom" (known scenarios: dup-storm, reorder,');
    expect(() => parseSchedule(['dup-storm'])).toThrow('"dup-storm" is not NAME@+OFFSET[/DURATION], e.g. dup-storm@+5m/3m');
    expect(() => parseSchedule(['dup-storm@+5x/3m'])).toThrow('offset "5x" in "dup-storm@+5x/3m" is not a duration');
    expect(() => parseSchedule(['dup-storm@+5m/0s'])).toThrow('duration "0s" in "dup-storm@+5m/0s" is not a positive duration');
    expect(() => parseSchedule(['nope@+5m'])).toThrow('unknown scenario "nope"');
  });
});
