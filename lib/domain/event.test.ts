import { describe, expect, it } from 'vitest';
import { checkEvent, rfc3339ToMicros } from './event';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const opts = { nowMs: NOW, maxAgeMs: 30 * 86_400_000 };
const base = { event_id: 'e1', tx_id: 't1', service: 'api', operation: 'authorize', ts: NOW - 1000 };

function problem(value: unknown) {
  const r = checkEvent(value, opts);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.event)}`);
  return r.problem;
}

describe('checkEvent rejects what breaks the contract, naming the field', () => {
  it.each([
    ['missing event_id', { ...base, event_id: undefined }, 'event_id', /required/],
    ['missing tx_id', { ...base, tx_id: undefined }, 'tx_id', /required/],
    ['missing service', { ...base, service: undefined }, 'service', /required/],
    ['missing operation', { ...base, operation: undefined }, 'operation', /required/],
    ['missing ts', { ...base, ts: undefined }, 'ts', /required/],
    ['empty event_id', { ...base, event_id: '' }, 'event_id', /empty/],
    ['numeric tx_id', { ...base, tx_id: 42 }, 'tx_id', /expected a string, got a number/],
    ['event_id over 128 chars', { ...base, event_id: 'x'.repeat(129) }, 'event_id', /at most 128/],
    ['tx_id over 256 chars', { ...base, tx_id: 'x'.repeat(257) }, 'tx_id', /at most 256/],
    ['service over 128 chars', { ...base, service: 's'.repeat(129) }, 'service', /at most 128/],
    ['status not ok/error', { ...base, status: 'failed' }, 'status', /"ok" or "error"/],
    ['negative seq', { ...base, seq: -1 }, 'seq', /≥ 0/],
    ['fractional seq', { ...base, seq: 1.5 }, 'seq', /integer/],
    ['seq as string', { ...base, seq: '3' }, 'seq', /integer, got a string/],
    ['attempt 0', { ...base, attempt: 0 }, 'attempt', /≥ 1/],
    ['trace_id not hex', { ...base, trace_id: 'zz'.repeat(16) }, 'trace_id', /32 hex/],
    ['span_id wrong length', { ...base, span_id: 'abc' }, 'span_id', /16 hex/],
    ['attributes not an object', { ...base, attributes: [1, 2] }, 'attributes', /object/],
    ['nested attribute value', { ...base, attributes: { region: { a: 1 } } }, 'attributes.region', /string.*number or boolean/],
    ['attribute value too long', { ...base, attributes: { note: 'x'.repeat(8193) } }, 'attributes.note', /8192/],
    ['ts without offset', { ...base, ts: '2026-11-27T11:00:00' }, 'ts', /RFC 3339/],
    ['ts as free text', { ...base, ts: 'yesterday' }, 'ts', /RFC 3339/],
    ['ts negative epoch', { ...base, ts: -5 }, 'ts', /RFC 3339|epoch/],
    ['ts impossible date', { ...base, ts: '2026-02-30T10:00:00Z' }, 'ts', /calendar/],
    ['ts in seconds, not ms', { ...base, ts: Math.floor(NOW / 1000) }, 'ts', /retention/],
    ['ts far in the future', { ...base, ts: NOW + 3 * 86_400_000 }, 'ts', /future/],
  ])('%s', (_name, value, field, message) => {
    const p = problem(value);
    expect(p.field).toBe(field);
    expect(p.message).toMatch(message);
  });

  it.each([
    ['a string', 'hello'],
    ['a number', 42],
    ['null', null],
    ['an array', [base]],
  ])('a line that is %s is not an event', (_name, value) => {
    expect(problem(value)).toEqual({ field: null, message: expect.stringMatching(/expected a JSON object/) });
  });
});

describe('checkEvent normalises what it accepts', () => {
  it('applies the defaults of the contract', () => {
    const r = checkEvent(base, opts);
    expect(r.ok && r.event).toMatchObject({ tx_type: 'default', status: 'ok', attempt: 1, seq: null, state: '', idempotency_key: '', tsUs: (NOW - 1000) * 1000 });
  });

  it('treats null optional fields as absent', () => {
    const r = checkEvent({ ...base, seq: null, state: null, attributes: null }, opts);
    expect(r.ok && r.event).toMatchObject({ seq: null, state: '', attributes: {} });
  });

  it('keeps seq 0 distinct from no seq', () => {
    const r = checkEvent({ ...base, seq: 0 }, opts);
    expect(r.ok && r.event.seq).toBe(0);
  });

  it('moves unknown top-level fields under attributes, with a warning each', () => {
    const r = checkEvent({ ...base, region: 'eu-west-1', retry: { after: 3 }, attributes: { amount: 12.5, live: true } }, opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.attributes).toEqual({ amount: '12.5', live: 'true', region: 'eu-west-1', retry: '{"after":3}' });
    expect(r.warnings.map((w) => w.field)).toEqual(['region', 'retry']);
  });

  it('does not overwrite an attribute when an unknown field has the same name', () => {
    const r = checkEvent({ ...base, region: 'top', attributes: { region: 'inner' } }, opts);
    expect(r.ok && r.event.attributes).toEqual({ region: 'inner', '_field.region': 'top' });
  });

  it('lower-cases trace and span ids', () => {
    const r = checkEvent({ ...base, trace_id: 'AB'.repeat(16), span_id: 'CD'.repeat(8) }, opts);
    expect(r.ok && [r.event.trace_id, r.event.span_id]).toEqual(['ab'.repeat(16), 'cd'.repeat(8)]);
  });
});

describe('rfc3339ToMicros', () => {
  it.each([
    ['2026-11-27T12:00:00Z', Date.UTC(2026, 10, 27, 12) * 1000],
    ['2026-11-27 12:00:00z', Date.UTC(2026, 10, 27, 12) * 1000],
    ['2026-11-27T12:00:00.123456Z', Date.UTC(2026, 10, 27, 12) * 1000 + 123_456],
    ['2026-11-27T12:00:00.1Z', Date.UTC(2026, 10, 27, 12) * 1000 + 100_000],
    ['2026-11-27T12:00:00.123456789Z', Date.UTC(2026, 10, 27, 12) * 1000 + 123_456],
    ['2026-11-27T14:30:00+02:30', Date.UTC(2026, 10, 27, 12) * 1000],
    ['2026-11-27T07:00:00-05:00', Date.UTC(2026, 10, 27, 12) * 1000],
  ])('%s', (text, micros) => expect(rfc3339ToMicros(text)).toBe(micros));

  it.each(['2026-13-01T00:00:00Z', '2026-02-29T00:00:00Z', '2026-11-27T24:00:00Z', '2026-11-27'])('rejects %s', (text) =>
    expect(rfc3339ToMicros(text)).toBeNull(),
  );
});
