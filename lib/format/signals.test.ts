import { describe, expect, it } from 'vitest';
import { formatChange, formatPercent } from './number';
import { evidenceSentence, rateAxisMax, tileChange, toRateSeries, toTiles, type ApiBucket } from './signals';

const zero = { count: 0, rate: 0 };
const band = (expected: number, anomalous = false) => ({ expected, lower: 0, upper: expected * 3, anomalous });
function bucket(ts: string, events: number, transactions: number, dup: number, unsettled = 0, div = 0): ApiBucket {
  return {
    ts, events, transactions, unsettled,
    flags: { duplicate_delivery: zero, duplicate_execution: { count: dup, rate: dup / transactions }, ordering: zero, divergence: { count: div, rate: 0 } },
    bands: { duplicate_delivery: band(0), duplicate_execution: band(0.01, dup > 5), ordering: band(0), divergence: band(0.02) },
  };
}

describe('signal shaping', () => {
  it('turns buckets into rate points with the band, and divergence over settled transactions only', () => {
    const b = [bucket('2026-11-27T14:00:00Z', 300, 100, 2), bucket('2026-11-27T14:01:00Z', 0, 0, 0), bucket('2026-11-27T14:02:00Z', 300, 100, 0, 50, 5)];
    expect(toRateSeries(b, 'duplicate_execution')[0]).toEqual({ t: Date.parse('2026-11-27T14:00:00Z'), observed: 0.02, expected: 0.01, band: [0, 0.03], count: 2, total: 100, anomalous: false });
    expect(toRateSeries(b, 'duplicate_execution')[1]!.observed).toBeNull();
    expect(toRateSeries(b, 'divergence')[2]).toMatchObject({ observed: 0.1, total: 50, count: 5 });
  });

  it('compares the last 15 minutes with the baseline, leaving out the bucket still filling', () => {
    const b = [
      ...Array.from({ length: 30 }, (_, i) => bucket(new Date(Date.UTC(2026, 10, 27, 14, i)).toISOString(), 300, 100, 1)),
      ...Array.from({ length: 15 }, (_, i) => bucket(new Date(Date.UTC(2026, 10, 27, 14, 30 + i)).toISOString(), 600, 200, 10)),
      bucket('2026-11-27T14:45:00Z', 5, 1, 1),
    ];
    const [events, tx, , dup] = toTiles(b, 1);
    expect(events).toMatchObject({ value: 600, baseline: 300 });
    expect(tx).toMatchObject({ value: 200, baseline: 100 });
    expect(dup).toMatchObject({ flag: 'duplicate_execution', value: 0.05, baseline: 0.01, detail: '150 of 3,000 transactions in the last 15 min' });
    expect(formatChange(dup!.value, dup!.baseline)).toBe('5.0× baseline');
    expect(formatChange(1, 1.05)).toBe('at baseline');
    expect(formatChange(0, 0)).toBe('—');
  });

  it('calls a count within noise of its expectation "at baseline", and starts volume baselines at the first data', () => {
    const b = [
      ...Array.from({ length: 60 }, (_, i) => bucket(new Date(Date.UTC(2026, 10, 27, 13, i)).toISOString(), 0, 0, 0)),
      ...Array.from({ length: 30 }, (_, i) => bucket(new Date(Date.UTC(2026, 10, 27, 14, i)).toISOString(), 300, 16, 0)),
      bucket('2026-11-27T14:30:00Z', 5, 1, 0),
    ];
    const [events, , , dup] = toTiles(b, 1);
    expect(events).toMatchObject({ value: 300, baseline: 300 });
    expect(dup).toMatchObject({ count: 0, expectedCount: 2.4 });
    expect(tileChange(dup!, formatChange)).toBe('at baseline');
    expect(tileChange({ ...dup!, count: 40, value: 0.17 }, formatChange)).toBe('17× baseline');
  });

  it('scales the rate axis to the data, not to the band of near-empty buckets', () => {
    const p = (observed: number | null, upper: number, total: number) => ({ t: 0, observed, expected: 0.001, band: [0, upper] as [number, number], count: 0, total, anomalous: false });
    expect(rateAxisMax([p(0.02, 1, 1), p(0.01, 0.05, 100)])).toBeCloseTo(0.055, 10);
    expect(rateAxisMax([p(null, 1, 0)])).toBeCloseTo(0.011, 10);
  });

  it('states evidence as a sentence with counts', () => {
    expect(evidenceSentence({ signal: 'duplicate_execution', service: 'payments', flagged: 41, sample_size: 1203, expected: 0.00083 })).toBe(
      '41 of 1,203 transactions on payments were executed twice, expected about 1 (0.083%).',
    );
    expect(evidenceSentence({ signal: 'divergence', service: '', flagged: 3, sample_size: 100, expected: 0.001 })).toBe(
      '3 of 100 transactions ended with services disagreeing, expected fewer than 1 (0.10%).',
    );
    expect(formatPercent(0.1234)).toBe('12.3%');
  });
});
