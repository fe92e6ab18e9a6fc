// Seeds the e2e server through the public ingest API: 90 minutes of ordinary payments
// (20 a minute, each api → payments → ledger), a 5-minute burst in which 40% of the
// captures execute twice (the detector must open an episode on duplicate_execution ×
// payments), and one showcase transaction that goes wrong in every way the timeline shows.
import type { APIRequestContext } from '@playwright/test';
import { expect } from '@playwright/test';

const MIN = 60_000;
export const SEED_NOW = Math.floor(Date.now() / MIN) * MIN - 3 * MIN;
export const BURST = { from: SEED_NOW - 40 * MIN, to: SEED_NOW - 35 * MIN };
export const SHOWCASE = 'pay-showcase';

type Line = Record<string, unknown>;

function payment(tx: string, t: number, duplicate: boolean, region: string): Line[] {
  const e = (id: string, service: string, operation: string, state: string, dt: number, extra: Line = {}) => ({
    event_id: `${tx}-${id}`, tx_id: tx, tx_type: 'payment', service, operation, state, ts: t + dt, attributes: { region }, ...extra,
  });
  return [
    e('1', 'api', 'create', 'pending', 0),
    e('2', 'payments', 'capture', 'captured', 300, { idempotency_key: `${tx}:capture` }),
    ...(duplicate ? [e('2b', 'payments', 'capture', 'captured', 1200, { idempotency_key: `${tx}:capture` })] : []),
    e('3', 'ledger', 'post', 'captured', 600),
  ];
}

/** A capture delivered twice, a stale "pending" from api after the capture, ledger ending voided. */
function showcase(t: number): Line[] {
  const e = (id: string, service: string, operation: string, state: string, dt: number, extra: Line = {}) => ({
    event_id: `${SHOWCASE}-${id}`, tx_id: SHOWCASE, tx_type: 'payment', service, operation, state, ts: t + dt, attributes: { region: 'eu-west-1' }, ...extra,
  });
  const capture = e('2', 'payments', 'capture', 'captured', 400, { idempotency_key: `${SHOWCASE}:capture`, seq: 1 });
  return [e('1', 'api', 'create', 'pending', 0, { seq: 1 }), capture, capture, e('3', 'api', 'retry', 'pending', 900, { seq: 2 }), e('4', 'ledger', 'post', 'voided', 1500)];
}

export function seedLines(): Line[] {
  const lines: Line[] = [];
  for (let m = SEED_NOW - 90 * MIN; m < SEED_NOW; m += MIN) {
    for (let k = 0; k < 20; k++) {
      const dup = m >= BURST.from && m < BURST.to && k % 5 < 2;
      lines.push(...payment(`pay-${m / MIN}-${k}`, m + k * 2500, dup, dup ? 'eu-west-1' : ['us-east-1', 'eu-west-1', 'ap-south-1'][k % 3]!));
    }
  }
  lines.push(...showcase(SEED_NOW - 20 * MIN + 7000));
  return lines;
}

export async function seed(request: APIRequestContext): Promise<void> {
  const lines = seedLines();
  for (let i = 0; i < lines.length; i += 2000) {
    const res = await request.post('/v1/events', { headers: { 'content-type': 'application/x-ndjson' }, data: lines.slice(i, i + 2000).map((l) => JSON.stringify(l)).join('\n') });
    expect(res.status()).toBe(200);
  }
  expect((await request.post('/api/v1/analysis/run')).status()).toBe(200);
}

/** Waits until the worker's detection has opened the burst's episode; returns its id. */
export async function burstEpisode(request: APIRequestContext): Promise<string> {
  let id = '';
  await expect
    .poll(async () => {
      const res = await request.get('/api/v1/anomalies?signal=duplicate_execution&service=payments');
      const body = (await res.json()) as { anomalies: { id: string; start: string }[] };
      id = body.anomalies.find((a) => Date.parse(a.start) === BURST.from)?.id ?? '';
      return id;
    }, { timeout: 45_000, intervals: [1000] })
    .not.toBe('');
  return id;
}

/** Waits until the showcase transaction is settled and judged divergent. */
export async function showcaseJudged(request: APIRequestContext): Promise<void> {
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/transactions/${SHOWCASE}`)).json()) as { flags?: string[] }).flags ?? [], { timeout: 30_000, intervals: [1000] })
    .toContain('divergence');
}
