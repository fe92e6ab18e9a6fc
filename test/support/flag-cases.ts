// Table-driven cases for the transaction flags of DESIGN.md ("Transaction flags — exact
// meaning"), one or two phases each, shared by the reference unit test and the ClickHouse
// integration test. Every case has its own tx_id (c<index>), so all cases share one
// database. Two shared clocks: all phase-1 rows arrive by NOW1 (pass 1 runs at NOW1),
// all phase-2 rows arrive after NOW1 and by NOW2 (pass 2 runs at NOW2). The clocks, the
// model and the helpers are in flag-case-kit.ts. A case's event ids are written short
// ('a', 'c2') and become '<tx_id>-a'.
import { copy, ev, materialize, none, type FlagCase, type RawCase } from './flag-case-kit';

export { models, NOW1, NOW2, observed, SKEW_MS, sortReasons, type Expectation, type FlagCase } from './flag-case-kit';

// The happy path of a payment: every participant reports, payments and ledger agree.
const create = ev('a', 'edge', 'create', 0, { state: 'pending' });
const authorize = ev('b', 'payments', 'authorize', 10, { state: 'authorized' });
const capture = ev('c', 'payments', 'capture', 20, { state: 'captured' });
const post = ev('d', 'ledger', 'post', 30, { state: 'captured' });
const happy = [create, authorize, capture, post];

const RAW_CASES: RawCase[] = [
  { name: 'the happy path raises nothing', phases: [{ events: happy, flags: [], reasons: [] }] },

  // duplicate_execution
  {
    name: 'a failed attempt followed by a success is a retry, not a duplicate execution',
    phases: [{ events: [create, authorize, ev('c0', 'payments', 'capture', 15, { status: 'error', key: 'k1' }), { ...capture, key: 'k1' }, post], flags: [], reasons: [] }],
  },
  {
    name: 'two ok events of a non-repeatable operation without a key are a duplicate execution',
    phases: [{ events: [...happy, ev('c2', 'payments', 'capture', 25, { state: 'captured' })], flags: ['duplicate_execution'], reasons: [['duplicate_execution', 'payments', ['c', 'c2']]] }],
  },
  {
    name: 'two distinct ok events with the same idempotency key are a duplicate execution',
    phases: [
      {
        events: [create, authorize, { ...capture, key: 'k1' }, ev('c2', 'payments', 'capture', 25, { state: 'captured', key: 'k1' }), post],
        flags: ['duplicate_execution'],
        reasons: [['duplicate_execution', 'payments', ['c', 'c2']]],
      },
    ],
  },
  {
    name: 'a repeatable operation repeated without an idempotency key is not a duplicate',
    phases: [{ events: [...happy, ev('n1', 'edge', 'notify', 40), ev('n2', 'edge', 'notify', 50), ev('n3', 'edge', 'notify', 60)], flags: [], reasons: [] }],
  },
  {
    name: 'a repeatable operation repeated with the same idempotency key is a duplicate',
    phases: [
      {
        events: [...happy, ev('n1', 'edge', 'notify', 40, { key: 'n' }), ev('n2', 'edge', 'notify', 50, { key: 'n' })],
        flags: ['duplicate_execution'],
        reasons: [['duplicate_execution', 'edge', ['n1', 'n2']]],
      },
    ],
  },
  {
    name: 'the same operation and key in two services is not a duplicate',
    phases: [{ events: [...happy, ev('n1', 'payments', 'notify', 40, { key: 'n' }), ev('n2', 'ledger', 'notify', 50, { key: 'n' })], flags: [], reasons: [] }],
  },

  // ordering: sequence regression
  {
    name: 'an event that arrives late but is in event-time order is no ordering violation',
    phases: [
      { events: [{ ...create, seq: 1 }, { ...capture, seq: 2 }, { ...post, seq: 1 }], flags: [], reasons: [] },
      { events: [{ ...authorize, seq: 1 }], flags: [], reasons: [] },
    ],
  },
  {
    name: 'equal timestamps are ordered by seq, then event_id: no sequence regression',
    phases: [
      {
        events: [create, ev('z-auth', 'payments', 'authorize', 10, { state: 'authorized', seq: 1 }), ev('y-capture', 'payments', 'capture', 10, { state: 'captured', seq: 2 }), post],
        flags: [],
        reasons: [],
      },
    ],
  },
  {
    name: 'a sequence regression within one service is flagged',
    phases: [{ events: [create, { ...authorize, seq: 2 }, { ...capture, seq: 1 }, post], flags: ['ordering'], reasons: [['sequence_regression', 'payments', ['b', 'c']]] }],
  },
  {
    name: 'the same seqs in two services are no sequence regression',
    phases: [{ events: [{ ...create, seq: 5 }, { ...authorize, seq: 1 }, { ...capture, seq: 2 }, { ...post, seq: 1 }], flags: [], reasons: [] }],
  },

  // ordering: causation inversion (max_clock_skew 5 ms)
  {
    name: 'a causation inversion beyond max_clock_skew is flagged',
    phases: [{ events: [create, authorize, capture, { ...post, ms: 14.999, cause: 'c' }], flags: ['ordering'], reasons: [['causation_inversion', 'ledger', ['c', 'd']]] }],
  },
  {
    name: 'a causation inversion within max_clock_skew is not flagged',
    phases: [{ events: [create, authorize, capture, { ...post, ms: 15, cause: 'c' }], flags: [], reasons: [] }],
  },

  // ordering: invalid or stale transition
  {
    name: 'a capture after a void is a stale transition',
    phases: [
      {
        events: [create, authorize, ev('v', 'edge', 'void', 15, { state: 'voided' }), capture, post],
        flags: ['ordering'],
        reasons: [['invalid_transition', 'payments', ['v', 'c']]],
      },
    ],
  },
  {
    name: 'a settle after a failure is a stale transition',
    phases: [
      {
        events: [...happy, ev('f', 'edge', 'fail', 40, { state: 'failed' }), ev('s', 'payments', 'settle', 50, { state: 'settled' }), ev('s2', 'ledger', 'settle', 60, { state: 'settled' })],
        flags: ['ordering'],
        reasons: [['invalid_transition', 'payments', ['f', 's']]],
      },
    ],
  },
  {
    name: 'a skipped but reachable transition (pending → captured) is allowed',
    phases: [{ events: [create, capture, post], flags: [], reasons: [] }],
  },
  {
    name: 'a transition into an unknown state (not among the model\'s states) is flagged',
    phases: [
      {
        events: [create, authorize, ev('r', 'payments', 'refund', 20, { state: 'refunded' }), ev('r2', 'ledger', 'post', 30, { state: 'refunded' })],
        flags: ['ordering'],
        reasons: [['invalid_transition', 'payments', ['b', 'r']]],
      },
    ],
  },
  {
    name: 'a tx_type without a model gets no transition or divergence checks',
    phases: [{ events: [ev('a', 'edge', 'create', 0, { state: 'captured', type: 'mystery' }), ev('b', 'edge', 'reset', 10, { state: 'pending', type: 'mystery' })], flags: [], reasons: [] }],
  },

  // divergence
  {
    name: 'divergence waits for settle_after since the last arrival, then a missing participant is flagged',
    phases: [
      { events: [create, authorize, capture], flags: [], reasons: [], settled: false, fresh: true },
      none({ flags: ['divergence'], reasons: [['missing_participant', 'ledger', []]] }),
    ],
  },
  {
    name: 'a missing participant that arrives late clears divergence',
    phases: [
      { events: [create, authorize, capture], flags: ['divergence'], reasons: [['missing_participant', 'ledger', []]] },
      { events: [post], flags: [], reasons: [] },
    ],
  },
  {
    name: 'conflicting final states of the agree services are flagged for both',
    phases: [
      {
        events: [...happy, ev('f', 'payments', 'fail', 40, { state: 'failed' })],
        flags: ['divergence'],
        reasons: [
          ['conflicting_states', 'payments', ['f']],
          ['conflicting_states', 'ledger', ['d']],
        ],
      },
    ],
  },
  {
    name: 'an agree service that reported without a state conflicts with one that has a state',
    phases: [
      {
        events: [create, authorize, capture, ev('d', 'ledger', 'post', 30, { status: 'error', state: 'captured' })],
        flags: ['divergence'],
        reasons: [
          ['conflicting_states', 'payments', ['c']],
          ['conflicting_states', 'ledger', []],
        ],
      },
    ],
  },

  // duplicate_delivery, and copies counting once elsewhere
  {
    name: 'a late redelivery raises duplicate_delivery on the next pass',
    phases: [
      { events: happy, flags: [], reasons: [] },
      { events: [copy(capture, 0)], flags: ['duplicate_delivery'], reasons: [['redelivery', 'payments', ['c']]] },
    ],
  },
  {
    name: 'a redelivered capture is not a duplicate execution',
    phases: [{ events: [...happy, copy(capture, 2)], flags: ['duplicate_delivery'], reasons: [['redelivery', 'payments', ['c']]] }],
  },
  {
    name: 'a later copy with other content counts only for duplicate_delivery (the first received counts)',
    phases: [
      {
        events: [...happy, copy(capture, 2, { ms: 5, seq: 0, state: 'voided', key: 'x', cause: 'd' }), copy(capture, 3, { ms: 26, state: 'captured' })],
        flags: ['duplicate_delivery'],
        reasons: [['redelivery', 'payments', ['c']]],
      },
    ],
  },
];

export const FLAG_CASES: FlagCase[] = RAW_CASES.map(materialize);
