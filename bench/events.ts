// Realistic synthetic events for benchmarks: a payment flow across services with the
// contract's optional fields filled as real emitters fill them (~330 bytes a line).
import { rng } from '../test/support/prng';
const SERVICES = ['edge', 'api', 'payments', 'ledger', 'notifier', 'provider'] as const;
const OPERATIONS: Record<(typeof SERVICES)[number], string[]> = {
  edge: ['receive'],
  api: ['create', 'authorize'],
  payments: ['authorize', 'capture'],
  ledger: ['post'],
  notifier: ['notify'],
  provider: ['charge'],
};
const STATES = ['pending', 'authorized', 'captured', 'settled'];
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1'];

export { rng };

/** NDJSON batches of `batchSize` events, `count` events in all, event times over the last hour. */
export function* ndjsonBatches(count: number, batchSize: number, seed = 1): Generator<Buffer> {
  const rand = rng(seed);
  const now = Date.now();
  let lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const tx = Math.floor(i / 6);
    const service = SERVICES[i % 6]!;
    const ops = OPERATIONS[service];
    lines.push(
      JSON.stringify({
        event_id: `evt-${seed}-${i.toString(36)}-${Math.floor(rand() * 1e9).toString(36)}`,
        tx_id: `pay-${seed}-${tx.toString(36)}`,
        service,
        operation: ops[Math.floor(rand() * ops.length)],
        ts: now - 3_600_000 + Math.floor((i / count) * 3_500_000) + Math.floor(rand() * 500),
        tx_type: 'payment',
        state: STATES[Math.min(3, i % 6)],
        status: rand() < 0.02 ? 'error' : 'ok',
        seq: i % 6,
        idempotency_key: `idem-${tx.toString(36)}-${i % 6}`,
        attempt: rand() < 0.05 ? 2 : 1,
        trace_id: Math.floor(rand() * 2 ** 52).toString(16).padStart(16, '0').repeat(2).slice(0, 32),
        attributes: { region: REGIONS[tx % 3]!, version: `2026.11.${tx % 4}`, amount: Math.round(rand() * 100_000) / 100 },
      }),
    );
    if (lines.length === batchSize) {
      yield Buffer.from(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) yield Buffer.from(`${lines.join('\n')}\n`);
}
