import { describe, expect, it } from 'vitest';
import {
  CsvError,
  CsvScorer,
  OUTPUT_HEADER,
  SAMPLE,
  fieldText,
  formatNumber,
  formatRow,
  inferBucketMs,
  parseHeader,
  parseRow,
  parseTimestamp,
  periodForBucket,
  splitFields,
} from './csv';
import { ValueDetector } from './detector';

const T = Date.UTC(2024, 4, 1, 12, 30, 15); // 2024-05-01T12:30:15Z

describe('parseTimestamp', () => {
  it.each([
    ['2024-05-01T12:30:15Z', T],
    ['2024-05-01T12:30:15z', T],
    ['2024-05-01t12:30:15Z', T],
    ['2024-05-01 12:30:15Z', T],
    ['2024-05-01T12:30:15', T], // no zone: UTC, not local time
    ['2024-05-01 12:30:15', T],
    ['2024-05-01 12:30:15 UTC', T],
    ['2024-05-01T12:30:15+00:00', T],
    ['2024-05-01T14:30:15+02:00', T],
    ['2024-05-01T14:30:15+0200', T],
    ['2024-05-01T14:30:15+02', T],
    ['2024-05-01T07:00:15-05:30', T],
    ['2024-05-01 14:30:15 +02:00', T],
    ['2024-05-01T12:30:15.250Z', T + 250],
    ['2024-05-01T12:30:15.25', T + 250],
    ['2024-05-01T12:30:15,250Z', T + 250],
    ['2024-05-01T12:30:15.123456789Z', T + 123],
    ['2024-05-01T12:30', T - 15_000],
    ['2024-05-01T12:30Z', T - 15_000],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['  2024-05-01T12:30:15Z  ', T],
  ])('ISO 8601 %j', (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it.each([
    [String(T / 1000), T],
    [`${T / 1000}.5`, T + 500],
    [String(T), T],
    ['0', 0],
    ['99999999999', 99_999_999_999_000], // just below 1e11: seconds
    ['100000000000', 100_000_000_000], // from 1e11: milliseconds
  ])('epoch %j', (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it.each([
    ['', /ISO 8601/],
    ['yesterday', /ISO 8601.*epoch seconds or milliseconds, got "yesterday"/],
    ['2024/05/01 12:00', /ISO 8601/],
    ['05/01/2024', /ISO 8601/],
    ['-1700000000', /ISO 8601/],
    ['1e9', /ISO 8601/],
    ['2024-13-01T00:00:00Z', /not a valid date and time/],
    ['2024-05-01T24:00:00Z', /not a valid date and time/],
    ['2024-05-01T12:60:00Z', /not a valid date and time/],
    ['2023-02-29T00:00:00Z', /not a valid date/],
    ['2024-04-31', /not a valid date/],
    ['2024-05-01T12:00:00+25:00', /invalid zone offset/],
    ['2024-05-01T12:00:00 PST', /ISO 8601/],
    ['1714566615000000', /microseconds or nanoseconds are not supported/],
  ])('rejects %j', (text, message) => {
    expect(() => parseTimestamp(text)).toThrow(message);
  });
});

describe('splitFields and fieldText', () => {
  it('splits on commas outside quotes and keeps each raw field', () => {
    expect(splitFields('a,b,c')).toEqual(['a', 'b', 'c']);
    expect(splitFields(' a , "b,c" ,')).toEqual([' a ', ' "b,c" ', '']);
    expect(splitFields('"say ""hi""",1')).toEqual(['"say ""hi"""', '1']);
    expect(() => splitFields('"open,1')).toThrow(/unterminated/);
  });

  it('unquotes and trims a field', () => {
    expect(fieldText(' "b,c" ')).toBe('b,c');
    expect(fieldText('"say ""hi"""')).toBe('say "hi"');
    expect(fieldText('  12.5 ')).toBe('12.5');
  });
});

describe('parseHeader', () => {
  it('recognizes the two formats, in any column order, case and quoting', () => {
    expect(parseHeader('timestamp,value')).toMatchObject({ kind: 'value', timestamp: 0, value: 1, width: 2 });
    expect(parseHeader('timestamp,count,total')).toMatchObject({ kind: 'rate', timestamp: 0, count: 1, total: 2, width: 3 });
    expect(parseHeader('Value, "Timestamp"')).toMatchObject({ kind: 'value', timestamp: 1, value: 0 });
    expect(parseHeader('total,timestamp,count')).toMatchObject({ kind: 'rate', timestamp: 1, count: 2, total: 0 });
    expect(parseHeader('\uFEFFtimestamp,value').kind).toBe('value'); // byte-order mark
  });

  it.each(['ts,value', 'timestamp', 'timestamp,value,extra', 'timestamp,count', 'timestamp,value,value', 'timestamp;value', '2024-05-01T00:00:00Z,1', '"timestamp,value'])(
    'rejects %j with the line number and what was expected',
    (line) => {
      let error: unknown;
      try {
        parseHeader(line, 3);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CsvError);
      expect((error as CsvError).line).toBe(3);
      expect((error as CsvError).message).toMatch(/^line 3: expected the header "timestamp,value" or "timestamp,count,total", got /);
    },
  );
});

describe('parseRow', () => {
  const value = parseHeader('timestamp,value');
  const rate = parseHeader('timestamp,count,total');

  it('parses a value row and keeps the timestamp field exactly as given', () => {
    expect(parseRow('"2024-05-01 12:30:15", 42.5 ', value, 2)).toEqual({ timestampRaw: '"2024-05-01 12:30:15"', ms: T, value: 42.5, count: NaN, total: NaN });
    expect(parseRow('1714566615,-1e3', value, 2).value).toBe(-1000);
  });

  it('parses a count/total row into a rate (0 when total is 0)', () => {
    expect(parseRow('1714566615,41,1203', rate, 2)).toMatchObject({ value: 41 / 1203, count: 41, total: 1203 });
    expect(parseRow('1714566615,0,0', rate, 2).value).toBe(0);
  });

  it('takes empty, NaN and null as missing values', () => {
    for (const v of ['', 'NaN', 'nan', 'null', 'NULL', '""']) expect(parseRow(`1714566615,${v}`, value, 2).value).toBeNaN();
    expect(parseRow('1714566615,,100', rate, 2).value).toBeNaN();
  });

  it.each([
    ['1714566615', value, /^line 7: expected 2 fields \(timestamp,value\), got 1$/],
    ['1714566615,1,2', value, /^line 7: expected 2 fields/],
    ['1714566615,1', rate, /^line 7: expected 3 fields \(timestamp,count,total\), got 2$/],
    ['1714566615,abc', value, /^line 7: expected a number in column value, got "abc"$/],
    ['1714566615,1 000', value, /^line 7: expected a number in column value/],
    ['1714566615,Infinity', value, /^line 7: expected a number in column value/],
    ['1714566615,1e999', value, /^line 7: expected a finite number in column value/],
    ['noon,1', value, /^line 7: expected an ISO 8601 date-time/],
    ['1714566615,-1,10', rate, /^line 7: expected count and total ≥ 0/],
    ['1714566615,11,10', rate, /^line 7: count 11 is larger than total 10/],
    ['"1714566615,1', value, /^line 7: unterminated quoted field$/],
  ])('rejects %j', (line, header, message) => {
    expect(() => parseRow(line, header, 7)).toThrow(CsvError);
    expect(() => parseRow(line, header, 7)).toThrow(message);
  });
});

describe('formatting', () => {
  it('writes numbers with up to 6 significant digits and no trailing zeros', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1)).toBe('1');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(2 / 3)).toBe('0.666667');
    expect(formatNumber(41 / 1203)).toBe('0.0340815');
    expect(formatNumber(123456789)).toBe('123457000');
    expect(formatNumber(NaN)).toBe('');
  });

  it('formats an output row with true/false', () => {
    expect(formatRow('"2024-05-01 12:00"', 12.5, 0.123456789, true)).toBe('"2024-05-01 12:00",12.5,0.123457,true');
    expect(formatRow('1714566615', NaN, 0, false)).toBe('1714566615,,0,false');
  });
});

describe('bucket and period inference', () => {
  const minutes = (n: number, from = T) => Array.from({ length: n }, (_, i) => from + i * 60_000);

  it('takes the median gap, robust to missing rows and jitter', () => {
    expect(inferBucketMs(minutes(50))).toBe(60_000);
    const withGaps = minutes(50).filter((_, i) => i % 7 !== 3);
    expect(inferBucketMs(withGaps)).toBe(60_000);
    expect(inferBucketMs(minutes(50).map((t, i) => t + (i % 3) * 7))).toBe(60_000);
    expect(inferBucketMs([T, T + 250, T + 500])).toBe(250);
    expect(inferBucketMs([T])).toBeNull();
    expect(inferBucketMs([T, T, T])).toBeNull();
  });

  it('sets buckets per day for buckets of 1 minute to 1 hour that divide a day', () => {
    expect(periodForBucket(60_000)).toBe(1440);
    expect(periodForBucket(300_000)).toBe(288);
    expect(periodForBucket(3_600_000)).toBe(24);
    expect(periodForBucket(7 * 60_000)).toBe(0); // does not divide a day
    expect(periodForBucket(1000)).toBe(0);
    expect(periodForBucket(86_400_000)).toBe(0);
    expect(periodForBucket(null)).toBe(0);
  });
});

describe('CsvScorer', () => {
  /** Scores lines (header first); returns the output lines. */
  const score = (lines: string[], opts = {}) => {
    const s = new CsvScorer(opts);
    const out = lines.map((l, i) => s.line(l, i + 1)).filter((l): l is string => l !== null);
    s.finish(lines.length);
    return { out, scorer: s };
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const minuteSeries = (n: number, f: (i: number) => number) => ['timestamp,value', ...Array.from({ length: n }, (_, i) => `${iso(T + i * 60_000)},${f(i)}`)];
  const noise = (i: number) => 100 + ((i * 7919) % 13) - 6;

  it('writes the output header and one row per input row, skipping blank lines', () => {
    const { out } = score(['timestamp,value', '2024-05-01 12:00,1', '', '2024-05-01 12:01,2', '   ']);
    expect(out).toEqual([OUTPUT_HEADER, '2024-05-01 12:00,1,0,false', '2024-05-01 12:01,2,0,false']);
  });

  it('infers the period from the first timestamps, and replays them without changing a written score', () => {
    const lines = minuteSeries(200, (i) => (i === 150 ? 500 : noise(i)));
    const { out, scorer } = score(lines);
    expect(scorer.seasonality).toEqual({ period: 1440, bucketMs: 60_000 });
    // Without seasonality from the start the scores are the same (it needs 2 days of history).
    expect(score(lines, { period: 0 }).out).toEqual(out);
    expect(out[151]).toMatch(/,500,1,true$/);
  });

  it("scores a row the same whether or not later rows follow", () => {
    const lines = minuteSeries(120, (i) => (i % 40 === 39 ? 300 : noise(i)));
    const { out } = score(lines);
    for (const cut of [1, 5, SAMPLE - 1, SAMPLE, SAMPLE + 1, 80, 120]) expect(score(lines.slice(0, cut + 1)).out).toEqual(out.slice(0, cut + 1));
  });

  it('feeds missing buckets for gaps once the bucket is known, keeping the time of day', () => {
    // 1-minute rows with a 10-minute hole after the sample: the detector sees 9 extra buckets.
    const times = [...Array.from({ length: 60 }, (_, i) => T + i * 60_000), ...Array.from({ length: 5 }, (_, i) => T + (69 + i) * 60_000)];
    const lines = ['timestamp,value', ...times.map((t, i) => `${iso(t)},${noise(i)}`)];
    const pushed: number[] = [];
    const original = ValueDetector.prototype.push;
    ValueDetector.prototype.push = function (v: number) {
      pushed.push(v);
      return original.call(this, v);
    };
    try {
      score(lines);
    } finally {
      ValueDetector.prototype.push = original;
    }
    // SAMPLE rows, replayed once with the inferred period, then the rest with 9 NaNs in the hole.
    expect(pushed).toHaveLength(SAMPLE + SAMPLE + (60 - SAMPLE) + 9 + 5);
    expect(pushed.slice(-14, -5).every(Number.isNaN)).toBe(true);
  });

  it('scores count/total rows as rates', () => {
    const lines = ['timestamp,count,total', ...Array.from({ length: 60 }, (_, i) => `${T / 1000 + i * 60},${i === 50 ? 300 : 20},1000`)];
    const { out } = score(lines);
    expect(out[1]).toBe(`${T / 1000},0.02,0,false`);
    expect(out[51]).toBe(`${T / 1000 + 50 * 60},0.3,1,true`);
    expect(out.filter((l) => l.endsWith(',true'))).toHaveLength(1);
  });

  it('scores 0 and flags nothing during warm-up', () => {
    const lines = ['timestamp,count,total', ...Array.from({ length: 10 }, (_, i) => `${i * 60},${i === 0 ? 900 : 20},1000`)];
    expect(score(lines).out.slice(1).every((l) => l.endsWith(',0,false'))).toBe(true);
  });

  it('passes missing values through as empty values with score 0', () => {
    const { out } = score(['timestamp,value', '0,1', '60,', '120,NaN', '180,3']);
    expect(out.slice(1)).toEqual(['0,1,0,false', '60,,0,false', '120,,0,false', '180,3,0,false']);
  });

  it('rejects rows out of time order, naming the line', () => {
    const s = new CsvScorer();
    s.line('timestamp,value', 1);
    s.line('2024-05-01T12:00:00Z,1', 2);
    s.line('2024-05-01T12:00:00Z,1', 3); // equal is allowed
    expect(() => s.line('2024-05-01T11:59:00Z,1', 4)).toThrow(/^line 4: timestamp 2024-05-01T11:59:00Z is earlier than the previous row's/);
  });

  it('reports a missing header at the end of the input', () => {
    const s = new CsvScorer();
    expect(s.line('', 1)).toBeNull();
    expect(() => s.finish(1)).toThrow(/^line 2: expected the header .* got the end of the input$/);
  });

  it('reports a bad header on its line', () => {
    expect(() => new CsvScorer().line('time,value', 1)).toThrow(/^line 1: expected the header/);
  });

  it('applies the threshold to is_anomaly, not to the score', () => {
    const lines = minuteSeries(60, (i) => (i === 50 ? 100 + 40 : noise(i)));
    const strict = score(lines, { threshold: 1e-30 }).out[51]!;
    const normal = score(lines).out[51]!;
    expect(strict.split(',')[2]).toBe(normal.split(',')[2]);
    expect(normal.endsWith(',true')).toBe(true);
    expect(strict.endsWith(',false')).toBe(true);
  });
});
