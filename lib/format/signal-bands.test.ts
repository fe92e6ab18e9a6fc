import { describe, expect, it } from 'vitest';
import { minuteBands, type MinuteCounts } from './signal-bands';

const MIN = 60_000;
const minute = (i: number, transactions: number, dup: number, unsettled = 0): MinuteCounts => ({
  t: i * MIN,
  transactions,
  unsettled,
  counts: { duplicate_delivery: 0, duplicate_execution: dup, ordering: 0, divergence: 0 },
});

describe('signal bands', () => {
  const quiet = Array.from({ length: 60 }, (_, i) => minute(i, 100, i % 20 === 0 ? 1 : 0));
  const burst = [...quiet, minute(60, 100, 40)];
  const bands = minuteBands(burst, { log10Threshold: -6 });

  it('expects the quiet rate and calls a burst of 40 in 100 anomalous', () => {
    const last = bands.at(-1)!.duplicate_execution;
    expect(last.expected).toBeGreaterThan(0);
    expect(last.expected).toBeLessThan(0.01);
    expect(last.upper).toBeLessThan(0.4);
    expect(last.anomalous).toBe(true);
    expect(bands[30]!.duplicate_execution.anomalous).toBe(false);
  });

  it('judges coarser buckets at their own step: the same burst pooled into 5-minute buckets', () => {
    const five = Array.from({ length: 40 }, (_, i) => minute(i * 5, 500, i % 4 === 0 ? 1 : 0));
    const b = minuteBands([...five, minute(200, 500, 40)], { log10Threshold: -6, stepMinutes: 5 });
    expect(b.at(-1)!.duplicate_execution.anomalous).toBe(true);
    expect(b.at(-1)!.duplicate_execution.upper).toBeLessThan(0.02);
    expect(b[20]!.duplicate_execution.anomalous).toBe(false);
  });
});

