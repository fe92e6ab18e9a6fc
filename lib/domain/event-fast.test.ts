import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventSchema } from './event';
import { isSurelyValidEvent } from './event-fast';

// Candidate values per field: valid ones, boundary ones and wrong types, so random events
// land on both sides of every rule.
const text = (max: number) => fc.oneof(fc.string({ maxLength: 3 }), fc.constant(''), fc.constant('x'.repeat(max)), fc.constant('x'.repeat(max + 1)));
const junk = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.double());
const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk });

const eventLike = fc.record(
  {
    event_id: field(text(128)),
    tx_id: field(text(256)),
    service: field(text(128)),
    operation: field(text(128)),
    ts: field(
      fc.oneof(
        fc.integer({ min: -10, max: 2 ** 53 }),
        fc.constantFrom('2026-11-27T12:00:00Z', '2026-11-27 12:00:00.123+01:00', '2026-11-27T12:00:00', 'soon', 1.5),
      ),
    ),
    tx_type: field(text(128)),
    state: field(text(128)),
    status: field(fc.constantFrom('ok', 'error', 'OK', '')),
    seq: field(fc.oneof(fc.integer({ min: -2, max: 1e6 }), fc.constant(2 ** 53), fc.constant(0.5))),
    idempotency_key: field(text(256)),
    attempt: field(fc.oneof(fc.integer({ min: -1, max: 10 }), fc.constant(4_294_967_296))),
    causation_id: field(text(128)),
    trace_id: field(fc.constantFrom('ab'.repeat(16), 'AB'.repeat(16), 'zz'.repeat(16), 'ab')),
    span_id: field(fc.constantFrom('cd'.repeat(8), 'cd'.repeat(9))),
    attributes: field(
      fc.dictionary(
        fc.oneof(fc.string({ maxLength: 4 }), fc.constant('k'.repeat(129))),
        fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({ a: 1 }), fc.constant('v'.repeat(8193))),
        { maxKeys: 3 },
      ),
    ),
    extra: fc.string(),
  },
  { requiredKeys: [] },
);

describe('isSurelyValidEvent', () => {
  it('never accepts what EventSchema rejects', () => {
    fc.assert(
      fc.property(eventLike, (e) => {
        if (isSurelyValidEvent(e)) expect(EventSchema.safeParse(e).success).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('accepts the common valid shapes (so the fast path is actually taken)', () => {
    const ok = { event_id: 'e', tx_id: 't', service: 's', operation: 'o', ts: 1 };
    expect(isSurelyValidEvent(ok)).toBe(true);
    expect(isSurelyValidEvent({ ...ok, ts: '2026-11-27T12:00:00.5Z', seq: 0, status: 'error', attributes: { a: 1, b: 'x', c: true }, unknown: 3 })).toBe(true);
    expect(isSurelyValidEvent({ ...ok, state: null, trace_id: 'AB'.repeat(16) })).toBe(true);
  });

  it('agrees with EventSchema on most random events', () => {
    let same = 0;
    const samples = fc.sample(eventLike, { numRuns: 5_000, seed: 42 });
    for (const e of samples) if (isSurelyValidEvent(e) === EventSchema.safeParse(e).success) same += 1;
    expect(same / samples.length).toBeGreaterThan(0.99);
  });
});
