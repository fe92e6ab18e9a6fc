import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, MAX_LINE_BYTES, parseJsonArray, parseNdjson, rowTsv, tsv } from './parse';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const opts = { nowMs: NOW, maxAgeMs: 30 * 86_400_000, requestId: 'req-1' };
const ev = (id: string, extra: object = {}) => ({ event_id: id, tx_id: 't1', service: 'api', operation: 'op', ts: NOW - 5, ...extra });
const ndjson = (...lines: (object | string)[]) => Buffer.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
/** TSV rows back to objects keyed by column (test data has no escapes). */
const rows = (buf: Buffer) =>
  buf.toString('utf8').trim().split('\n').filter(Boolean).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [EVENT_COLUMNS[i], v])));

describe('parseNdjson', () => {
  it('keeps the good lines and reports the bad ones with their 1-based line numbers', () => {
    const out = parseNdjson(ndjson(ev('a'), '{broken', ev('b', { seq: -1 }), '', ev('c')), opts);
    expect(out.accepted).toBe(2);
    expect(out.rejected).toBe(2);
    expect(out.errors).toEqual([
      { line: 2, field: null, message: expect.stringMatching(/not valid JSON/) },
      { line: 3, field: 'seq', message: expect.stringMatching(/≥ 0/) },
    ]);
    expect(rows(out.rows).map((r) => r.event_id)).toEqual(['a', 'c']);
  });

  it('skips blank lines and CRLF endings without counting them as events', () => {
    const out = parseNdjson(Buffer.from(`${JSON.stringify(ev('a'))}\r\n\r\n   \n${JSON.stringify(ev('b'))}\r\n`), opts);
    expect([out.accepted, out.rejected]).toEqual([2, 0]);
  });

  it('rejects a line with invalid UTF-8 and keeps its neighbours', () => {
    const bad = Buffer.concat([Buffer.from('{"event_id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const body = Buffer.concat([Buffer.from(`${JSON.stringify(ev('a'))}\n`), bad, Buffer.from(`\n${JSON.stringify(ev('b'))}`)]);
    const out = parseNdjson(body, opts);
    expect(out.accepted).toBe(2);
    expect(out.errors).toEqual([{ line: 2, field: null, message: 'not valid UTF-8' }]);
  });

  it('rejects a line over 1 MiB without parsing it', () => {
    const big = JSON.stringify(ev('big', { attributes: { blob: 'x'.repeat(MAX_LINE_BYTES) } }));
    const out = parseNdjson(ndjson(ev('a'), big), opts);
    expect(out.accepted).toBe(1);
    expect(out.errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/limit is 1048576 bytes/) });
  });

  it('caps the listed errors at 100 while the count stays exact', () => {
    const out = parseNdjson(ndjson(...Array.from({ length: 250 }, () => 'nope'), ev('ok')), opts);
    expect(out.rejected).toBe(250);
    expect(out.errors).toHaveLength(100);
    expect(out.accepted).toBe(1);
  });

  it('writes rows in the events table shape', () => {
    const out = parseNdjson(ndjson(ev('a', { ts: '2026-11-27T11:59:59.123456Z', region: 'eu', seq: 0 })), opts);
    expect(out.rows.toString('utf8')).toBe(
      [Date.UTC(2026, 10, 27, 11, 59, 59) * 1000 + 123_456, NOW * 1000, 't1', 'a', 'api', 'op', 'default', '', 'ok', '0', '', '1', '', '', '', "{'region':'eu'}", 'req-1'].join('\t') + '\n',
    );
    expect(out.warnings).toBe(1);
  });

  it('accepts nothing from an empty body', () => {
    const out = parseNdjson(Buffer.alloc(0), opts);
    expect([out.accepted, out.rejected, out.rows.length]).toEqual([0, 0, 0]);
  });
});

describe('parseJsonArray', () => {
  it('numbers array elements from 1 like lines', () => {
    const out = parseJsonArray(Buffer.from(JSON.stringify([ev('a'), 7, ev('b', { tx_id: '' })])), opts);
    if ('fatal' in out) throw new Error(out.fatal);
    expect(out.accepted).toBe(1);
    expect(out.errors).toEqual([
      { line: 2, field: null, message: expect.stringMatching(/expected a JSON object, got a number/) },
      { line: 3, field: 'tx_id', message: 'must not be empty' },
    ]);
  });

  it('accepts a single object as one event', () => {
    const out = parseJsonArray(Buffer.from(JSON.stringify(ev('solo'))), opts);
    expect('fatal' in out ? out.fatal : out.accepted).toBe(1);
  });

  it('says what is wrong with a body that is not JSON or not UTF-8', () => {
    expect(parseJsonArray(Buffer.from('[{"a":1},'), opts)).toEqual({ fatal: expect.stringMatching(/not valid JSON/) });
    expect(parseJsonArray(Buffer.from([0x5b, 0xff, 0x5d]), opts)).toEqual({ fatal: 'body is not valid UTF-8' });
  });
});

describe('TSV escaping', () => {
  it('escapes backslash, tab, newline, CR and NUL in fields', () => {
    expect(tsv('a\tb\\c\nd\re\0f')).toBe('a\\tb\\\\c\\nd\\re\\0f');
    expect(tsv("plain 'quoted'")).toBe("plain 'quoted'");
  });

  it('quotes map keys and values, escaping quotes', () => {
    const line = rowTsv(
      { event_id: 'e', tx_id: 't', service: 's', operation: 'o', tsUs: 1, tx_type: 'default', state: '', status: 'error', seq: null, idempotency_key: '', attempt: 2, causation_id: '', trace_id: '', span_id: '', attributes: { "it's": 'a\tb', n: '1' } },
      2,
      'r',
    );
    expect(line.split('\t').slice(8, 10)).toEqual(['error', '\\N']);
    expect(line.endsWith("{'it\\'s':'a\\tb','n':'1'}\tr")).toBe(true);
  });
});
