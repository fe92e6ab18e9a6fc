import { describe, expect, it } from 'vitest';
import { minuteBands, rollUpBands, type MinuteCounts } from './signal-bands';

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

  it('rolls minutes up by transaction weight, keeping anomalies visible', () => {
    const minutes = [minute(0, 300, 0), minute(1, 100, 0)];
    const b = [
      { duplicate_delivery: band(0.01), duplicate_execution: band(0.01), ordering: band(0.01), divergence: band(0.01) },
      { duplicate_delivery: band(0.05), duplicate_execution: band(0.05, true), ordering: band(0.05), divergence: band(0.05) },
    ];
    const [up] = rollUpBands(minutes, b, 0, 2 * MIN, 2 * MIN);
    expect(up!.duplicate_execution.expected).toBeCloseTo(0.02, 10); // (300×0.01 + 100×0.05) / 400
    expect(up!.duplicate_execution.anomalous).toBe(true);
    expect(up!.ordering.anomalous).toBe(false);
  });

  it('gives empty buckets the mean band of their minutes, and drops minutes outside the range', () => {
    const minutes = [minute(0, 0, 0), minute(1, 0, 0), minute(5, 10, 0)];
    const b = minutes.map((_, i) => ({ duplicate_delivery: band(i), duplicate_execution: band(i), ordering: band(i), divergence: band(i) }));
    const up = rollUpBands(minutes, b, 0, 2 * MIN, 2 * MIN);
    expect(up).toHaveLength(1);
    expect(up[0]!.ordering.expected).toBe(0.5);
  });
});

function band(expected: number, anomalous = false) {
  return { expected, lower: 0, upper: expected * 2, anomalous, judged: true };
}
