import { describe, expect, it } from 'vitest';
import { rangeFromParams, rangeParams, resolveRange, stepMinutesFor, stepParam } from './time-range';
import { formatDateTime, formatDuration, formatPrecise, timeAxis } from './time';

const params = (o: Record<string, string>) => (k: string) => o[k] ?? null;

describe('time ranges in the URL', () => {
  it('reads a quick range, an absolute range, and falls back on nonsense', () => {
    expect(rangeFromParams(params({ range: '24h' }))).toEqual({ quick: '24h' });
    expect(rangeFromParams(params({ from: '2026-11-27T14:02:00Z', to: '2026-11-27T14:09:00Z' }))).toEqual({ from: Date.parse('2026-11-27T14:02:00Z'), to: Date.parse('2026-11-27T14:09:00Z') });
    expect(rangeFromParams(params({ range: '3y' }), '1h')).toEqual({ quick: '1h' });
    expect(rangeFromParams(params({ from: '2026-11-27T14:09:00Z', to: '2026-11-27T14:02:00Z' }))).toEqual({ quick: '6h' });
  });

  it('resolves quick ranges against now and writes ranges back as params', () => {
    expect(resolveRange({ quick: '15m' }, 1_000_000_000)).toEqual({ from: 1_000_000_000 - 900_000, to: 1_000_000_000 });
    expect(rangeParams({ quick: '7d' })).toEqual({ range: '7d', from: null, to: null });
    expect(rangeParams({ from: 0, to: 60_000 })).toEqual({ range: null, from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T00:01:00.000Z' });
  });

  it('picks the finest step under 180 buckets', () => {
    expect(stepMinutesFor(15 * 60_000)).toBe(1);
    expect(stepMinutesFor(3 * 3_600_000)).toBe(1);
    expect(stepMinutesFor(6 * 3_600_000)).toBe(2);
    expect(stepMinutesFor(24 * 3_600_000)).toBe(10);
    expect(stepMinutesFor(7 * 86_400_000)).toBe(60);
    expect(stepParam(60)).toBe('1h');
    expect(stepParam(5)).toBe('5m');
  });

  it('formats times in UTC and durations in words', () => {
    expect(formatDateTime('2026-11-27T14:02:00Z', 'utc')).toBe('2026-11-27 14:02 UTC');
    expect(formatPrecise('2026-11-27T14:02:03.120Z', 'utc')).toBe('2026-11-27 14:02:03.120');
    expect(formatDuration(45)).toBe('45 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(90_000)).toBe('1.5 min');
  });
});

describe('timeAxis', () => {
  it('covers the last bucket whole and shows the date only past a day', () => {
    const a = timeAxis([0, 60_000, 120_000], 60_000, 'utc');
    expect(a.domain).toEqual([0, 180_000]);
    expect(a.tick(120_000)).toBe('00:02');
    const b = timeAxis([0, 2 * 86_400_000], 3_600_000, 'utc');
    expect(b.tick(86_400_000)).toBe('01-02 00:00');
    expect(timeAxis([], 60_000, 'utc').domain).toEqual([0, 1]);
  });
});
