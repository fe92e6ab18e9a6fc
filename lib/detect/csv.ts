// The CSV side of `txdrift detect`, pure (the CLI in cli/detect.ts only moves lines):
// parse the header and rows, timestamps to epoch ms, and score a series line by line with
// the streaming detectors, formatting one output row per input row.
//
// Input: `timestamp,value` (a level or a rate) or `timestamp,count,total`; column names are
// case-insensitive, in any order, optionally quoted. Output: `timestamp,value,anomaly_score,
// is_anomaly`, the timestamp field copied byte for byte.
//
// Seasonality needs the row index to follow the clock: the bucket size is the median gap
// of the first SAMPLE timestamps, the period (buckets per day) follows from it, and from
// then on a gap of m buckets feeds m − 1 missing buckets to the detector (they score nothing
// and teach nothing). Until the sample is complete the rows are scored with the period the
// caller gave (0 = none); then the detector is rebuilt with the inferred period and the
// sample replayed. A detector only uses its period from bucket 2 × period − 1 on, and
// SAMPLE ≤ 2 × MIN_PERIOD − 2, so (gaps in the sample aside) the replayed detector gives the
// sample rows exactly the scores already written. Either way a row's score depends only on
// that row and the rows before it.
import { RateDetector, ValueDetector, type DetectorOptions, type Verdict } from './detector';

export const OUTPUT_HEADER = 'timestamp,value,anomaly_score,is_anomaly';

/** A problem with the input at a 1-based line number. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvError';
  }
}

export type SeriesKind = 'value' | 'rate';

export interface Header {
  kind: SeriesKind;
  /** Field index of each column. */
  timestamp: number;
  value: number;
  count: number;
  total: number;
  width: number;
}

const EXPECTED_HEADER = '"timestamp,value" or "timestamp,count,total"';

/**
 * Splits a CSV line into raw fields (quotes and surrounding spaces kept, so a field can be
 * copied byte for byte). Throws on an unterminated quote.
 */
export function splitFields(line: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34 /* " */) inQuotes = !inQuotes; // "" inside quotes toggles twice: an escaped quote
    else if (c === 44 /* , */ && !inQuotes) {
      fields.push(line.slice(start, i));
      start = i + 1;
    }
  }
  if (inQuotes) throw new Error('unterminated quoted field');
  fields.push(line.slice(start));
  return fields;
}

/** A raw field's text: trimmed, surrounding double quotes removed, "" unescaped. */
export function fieldText(raw: string): string {
  const t = raw.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/""/g, '"');
  return t;
}

const show = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);

/** Parses the header line (a leading byte-order mark is ignored). Throws CsvError. */
export function parseHeader(line: string, lineNo = 1): Header {
  const text = line.replace(/^\uFEFF/, '');
  let names: string[];
  try {
    names = splitFields(text).map((f) => fieldText(f).toLowerCase());
  } catch {
    names = [];
  }
  const at = (name: string) => names.indexOf(name);
  const same = (expected: string[]) => names.length === expected.length && expected.every((n) => names.filter((m) => m === n).length === 1);
  if (same(['timestamp', 'value'])) return { kind: 'value', timestamp: at('timestamp'), value: at('value'), count: -1, total: -1, width: 2 };
  if (same(['timestamp', 'count', 'total'])) return { kind: 'rate', timestamp: at('timestamp'), value: -1, count: at('count'), total: at('total'), width: 3 };
  throw new CsvError(lineNo, `expected the header ${EXPECTED_HEADER}, got ${show(text)}`);
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?: ?(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?)?$/;
const EPOCH = /^\d+(?:\.\d+)?$/;
/** Epoch values below this are seconds (up to year 5138), at or above it milliseconds. */
const EPOCH_MS_FROM = 1e11;
/** …and from here on they would be micro- or nanoseconds, which are refused. */
const EPOCH_TOO_BIG = 1e14;

/**
 * Epoch milliseconds of a timestamp: ISO 8601 date and time with `T` or a space, seconds and
 * fraction optional, a zone (`Z`, `UTC`, `±HH`, `±HHMM`, `±HH:MM`) optional and UTC when
 * absent; a date alone (midnight UTC); or epoch seconds (< 1e11, fraction allowed) or
 * milliseconds. Throws an Error saying what was expected.
 */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  if (EPOCH.test(t)) {
    const n = Number(t);
    if (n >= EPOCH_TOO_BIG) throw new Error(`epoch timestamp ${t} is too large for milliseconds (microseconds or nanoseconds are not supported)`);
    return n < EPOCH_MS_FROM ? Math.round(n * 1000) : Math.round(n);
  }
  const m = ISO.exec(t);
  if (!m) throw new Error(`expected an ISO 8601 date-time (e.g. 2024-05-01T12:00:00Z) or epoch seconds or milliseconds, got ${show(t)}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) throw new Error(`${show(t)} is not a valid date and time`);
  const ms = Math.round(Number(`0.${frac || '0'}`) * 1000);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw new Error(`${show(t)} is not a valid date`);
  return date.getTime() + ms - zoneOffsetMs(zone, t);
}

function zoneOffsetMs(zone: string, t: string): number {
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) throw new Error(`${show(t)} has an invalid zone offset`);
  return sign * (hours * 60 + minutes) * 60_000;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MISSING = /^(?:|nan|null)$/i;

/** A number field: a finite decimal, or NaN for a missing value (empty, `NaN`, `null`). Throws an Error. */
export function parseNumber(text: string, column: string): number {
  if (MISSING.test(text)) return NaN;
  if (!NUMBER.test(text)) throw new Error(`expected a number in column ${column}, got ${show(text)}`);
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`expected a finite number in column ${column}, got ${show(text)}`);
  return n;
}

/** One parsed data row: what the detector gets (NaN = missing) and the timestamp as given. */
export interface Row {
  timestampRaw: string;
  ms: number;
  /** value series: the value; rate series: count/total (0 when total is 0). NaN when missing. */
  value: number;
  count: number;
  total: number;
}

/** Parses a data line against the header. Throws CsvError naming the line. */
export function parseRow(line: string, header: Header, lineNo: number): Row {
  try {
    const raw = splitFields(line);
    if (raw.length !== header.width) {
      const names = header.kind === 'value' ? 'timestamp,value' : 'timestamp,count,total';
      throw new Error(`expected ${header.width} fields (${names}), got ${raw.length}`);
    }
    const timestampRaw = raw[header.timestamp]!;
    const ms = parseTimestamp(fieldText(timestampRaw));
    if (header.kind === 'value') {
      const value = parseNumber(fieldText(raw[header.value]!), 'value');
      return { timestampRaw, ms, value, count: NaN, total: NaN };
    }
    const count = parseNumber(fieldText(raw[header.count]!), 'count');
    const total = parseNumber(fieldText(raw[header.total]!), 'total');
    if (count < 0 || total < 0) throw new Error(`expected count and total ≥ 0, got ${count} and ${total}`);
    if (count > total) throw new Error(`count ${count} is larger than total ${total} (count is the part of total that is flagged)`);
    const missing = Number.isNaN(count) || Number.isNaN(total);
    return { timestampRaw, ms, value: missing ? NaN : total > 0 ? count / total : 0, count, total };
  } catch (e) {
    throw e instanceof CsvError ? e : new CsvError(lineNo, (e as Error).message);
  }
}

/** Up to 6 significant digits, no trailing zeros; '' for NaN. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === 0) return '0';
  return String(Number(x.toPrecision(6)));
}

/** One output row (the timestamp field exactly as it came in). */
export function formatRow(timestampRaw: string, value: number, score: number, anomalous: boolean): string {
  return `${timestampRaw},${formatNumber(value)},${formatNumber(score)},${anomalous ? 'true' : 'false'}`;
}

/** Timestamps used to infer the bucket size (see the top of the file for why 45). */
export const SAMPLE = 45;
/** Seasonality is inferred for buckets of 1 minute to 1 hour that divide a day. */
const MIN_BUCKET_MS = 60_000;
const MAX_BUCKET_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** 24 = DAY_MS / MAX_BUCKET_MS; replaying SAMPLE rows is exact because SAMPLE ≤ 2 × 24 − 2. */
const MIN_PERIOD = DAY_MS / MAX_BUCKET_MS;
if (SAMPLE > 2 * MIN_PERIOD - 2) throw new Error('SAMPLE too large for an exact replay');

/** Median gap between consecutive timestamps (rounded to the second when ≥ 1 s); null if not positive. */
export function inferBucketMs(timestamps: number[]): number | null {
  const gaps: number[] = [];
  for (let i = 1; i < timestamps.length; i++) gaps.push(timestamps[i]! - timestamps[i - 1]!);
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  const median = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  if (!(median > 0)) return null;
  return median >= 1000 ? Math.round(median / 1000) * 1000 : median;
}

/** Buckets per day for a bucket of 1 minute to 1 hour that divides a day (1440 for minutes); otherwise 0 (no seasonality). */
export function periodForBucket(bucketMs: number | null): number {
  if (bucketMs === null || bucketMs < MIN_BUCKET_MS || bucketMs > MAX_BUCKET_MS || DAY_MS % bucketMs !== 0) return 0;
  return DAY_MS / bucketMs;
}

export interface ScorerOptions {
  /** Buckets per day; inferred from the timestamps when undefined; 0 = no seasonality. */
  period?: number;
  /** p-value at or below which a row is anomalous; default 1e-6. */
  threshold?: number;
}

type Push = (row: { value: number; count: number; total: number } | null) => Verdict;

/**
 * Scores a CSV series line by line: `line()` takes each input line and returns the output
 * line (the output header for the input header, null for a blank line). Throws CsvError.
 */
export class CsvScorer {
  private header: Header | null = null;
  private push: Push | null = null;
  private period: number;
  private bucketMs: number | null = null;
  private prevMs: number | null = null;
  /** The first rows, kept until the bucket size is inferred; then null. */
  private sample: Row[] | null = [];
  private readonly userPeriod: number | undefined;
  private readonly log10Threshold: number;

  constructor(opts: ScorerOptions = {}) {
    this.userPeriod = opts.period;
    this.period = opts.period ?? 0;
    this.log10Threshold = Math.log10(opts.threshold ?? 1e-6);
  }

  get kind(): SeriesKind | null {
    return this.header?.kind ?? null;
  }

  /** The period in use (buckets per day, 0 = none) and the inferred bucket size. */
  get seasonality(): { period: number; bucketMs: number | null } {
    return { period: this.period, bucketMs: this.bucketMs };
  }

  line(text: string, lineNo: number): string | null {
    if (text.trim() === '') return null;
    if (!this.header) {
      this.header = parseHeader(text, lineNo);
      this.push = this.detector(this.period);
      return OUTPUT_HEADER;
    }
    const row = parseRow(text, this.header, lineNo);
    if (this.prevMs !== null && row.ms < this.prevMs) {
      throw new CsvError(lineNo, `timestamp ${fieldText(row.timestampRaw)} is earlier than the previous row's; expected rows in time order`);
    }
    this.fillGap(this.push!, this.prevMs, row.ms);
    const verdict = this.push!(row);
    this.prevMs = row.ms;
    if (this.sample) {
      this.sample.push(row);
      if (this.sample.length === SAMPLE) this.settle(this.sample);
    }
    return formatRow(row.timestampRaw, row.value, verdict.judged ? verdict.score : 0, verdict.anomalous);
  }

  /** Throws if the input ended before a header (lineNo: the last line read, 0 if none). */
  finish(lineNo: number): void {
    if (!this.header) throw new CsvError(lineNo + 1, `expected the header ${EXPECTED_HEADER}, got the end of the input`);
  }

  private detector(period: number): Push {
    const opts: DetectorOptions = { period, log10Threshold: this.log10Threshold };
    if (this.header!.kind === 'value') {
      const d = new ValueDetector(opts);
      return (r) => d.push(r ? r.value : NaN);
    }
    const d = new RateDetector(opts);
    return (r) => (r && !Number.isNaN(r.value) ? d.push(r.count, r.total) : d.push(0, 0));
  }

  /** Feeds the buckets missing between two timestamps, so the index keeps to the time of day. */
  private fillGap(push: Push, fromMs: number | null, toMs: number): void {
    if (fromMs === null || this.bucketMs === null || this.period === 0) return;
    let missing = Math.round((toMs - fromMs) / this.bucketMs) - 1;
    // Past 8 days the seasonal history has expired anyway: keep only the alignment.
    if (missing > 8 * this.period) missing = 8 * this.period + (missing % this.period);
    for (let k = 0; k < missing; k++) push(null);
  }

  /** The sample is complete: infer the bucket and period, and rebuild the detector if they change anything. */
  private settle(sample: Row[]): void {
    this.sample = null;
    this.bucketMs = inferBucketMs(sample.map((r) => r.ms));
    const period = this.userPeriod ?? periodForBucket(this.bucketMs);
    const gaps = period > 0 && this.bucketMs !== null && sample.some((r, i) => i > 0 && Math.round((r.ms - sample[i - 1]!.ms) / this.bucketMs!) > 1);
    if (period === this.period && !gaps) return;
    this.period = period;
    const push = this.detector(period);
    let prev: number | null = null;
    for (const r of sample) {
      this.fillGap(push, prev, r.ms);
      push(r);
      prev = r.ms;
    }
    this.push = push;
  }
}
