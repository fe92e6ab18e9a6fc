import { describe, expect, it } from 'vitest';
import { DurationMsSchema, durationMs } from './duration';

describe('durationMs', () => {
  it.each([
    ['250ms', 250],
    ['0ms', 0],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1.5s', 1_500],
    ['0.5m', 30_000],
    ['1.25ms', 1],
    [' 5m ', 300_000],
  ])('%j → %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each([
    [''],
    ['5'],
    ['ms'],
    ['5 m'],
    ['5min'],
    ['5M'],
    ['-5s'],
    ['.5s'],
    ['1.s'],
    ['1e3ms'],
    ['5m30s'],
    ['soon'],
  ])('%j is not a duration → null', (text) => {
    expect(durationMs(text)).toBeNull();
  });
});

describe('DurationMsSchema', () => {
  it.each([
    ['5m', 300_000],
    ['250ms', 250],
    ['1.5s', 1_500],
    [0, 0],
    [1234, 1234],
  ])('parses %j to %d ms', (input, ms) => {
    expect(DurationMsSchema.parse(input)).toBe(ms);
  });

  it('rejects a bad string with a message that quotes it and shows examples', () => {
    const r = DurationMsSchema.safeParse('5 minutes');
    expect(r.success).toBe(false);
    expect(r.error?.issues).toHaveLength(1);
    expect(r.error?.issues[0]?.message).toBe('expected a duration such as 250ms, 30s, 5m, 2h or 7d, got "5 minutes"');
  });

  it.each([[-1], [1.5], [Number.NaN], [null], [true], [{}]])('rejects %j', (input) => {
    expect(DurationMsSchema.safeParse(input).success).toBe(false);
  });
});
