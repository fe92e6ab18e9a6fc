// Alerting delivery rules on the real engine with real receivers on 127.0.0.1, on episodes
// written as detection stores them: a restart in the middle of a delivery, the SSRF guard at
// save and at send time, no retry on 4xx or redirects, Retry-After, timeouts, group wait,
// mutes and rule matching, and rules and destinations declared in TXDRIFT_CONFIG.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as deliveriesRoute } from '@/app/api/v1/deliveries/route';
import { GET as openapi } from '@/app/api/v1/openapi.json/route';
import { POST as createDestination, GET as listDestinations } from '@/app/api/v1/destinations/route';
import { PATCH as patchRule } from '@/app/api/v1/rules/[id]/route';
import { POST as createRule, GET as listRules } from '@/app/api/v1/rules/route';
import { batchId, notificationId } from '@/lib/server/alerting/ids';
import { outboxOptions, runAlerting } from '@/lib/server/alerting/job';
import { DEFAULT_RETRY } from '@/lib/server/alerting/retry';
import { generateSecret } from '@/lib/server/alerting/sign';
import { upsertAnomalies, type AnomalyRecord } from '@/lib/server/clickhouse/anomalies';
import { anomalyId } from '@/lib/server/detection';
import type { Runtime } from '@/lib/server/runtime';
import { eventually, startTestRuntime, tempDir } from '../support/engine';
import { receiver, type Answer, type Receiver } from '../support/receiver';


let rt: Runtime;
const open: Receiver[] = [];
const SECRET = generateSecret();
let configReceiver: Receiver;

async function make(answer?: (n: number) => Answer): Promise<Receiver> {
  const r = await receiver(answer);
  open.push(r);
  return r;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are inspected field by field
type Json = Record<string, any>;
const call = async (res: Promise<Response>) => {
  const r = await res;
  return { status: r.status, body: (r.status === 204 ? null : await r.json()) as Json };
};
const postJson = (handler: (req: Request) => Promise<Response>, body: unknown) =>
  call(handler(new Request('http://localhost/api/v1/x', { method: 'POST', body: JSON.stringify(body) })));

/** A destination that only receives episodes of `service` (its own rule), so tests do not see each other's. */
async function destinationFor(service: string, url: string, rule: Json = {}, type = 'webhook') {
  const d = await postJson(createDestination, { name: `for ${service}`, type, url });
  expect(d.status).toBe(201);
  const r = await postJson(createRule, { name: `${service} only`, match: { service }, destination_ids: [d.body.id], ...rule });
  expect(r.status).toBe(201);
  return { id: d.body.id as string, secret: d.body.secret as string, rule: r.body.id as string };
}

/** An episode as detection stores it. */
async function episode(service: string, status: 'open' | 'resolved' = 'open', signal: AnomalyRecord['signal'] = 'duplicate_execution'): Promise<AnomalyRecord> {
  const start = Math.floor(Date.now() / 60_000) * 60_000 - 3 * 60_000;
  const a: AnomalyRecord = {
    id: anomalyId(signal, service, start), signal, service, status, kind: 'spike', start: new Date(start).toISOString(),
    last_anomalous: new Date(start + 60_000).toISOString(), resolved_at: status === 'resolved' ? new Date().toISOString() : null,
    peak_score: 0.95, observed: 0.4, expected: 0.002, lower: 0, upper: 0.01, sample_size: 200, flagged: 80, anomalous_buckets: 2, affected: 80,
    sample_tx_ids: Array.from({ length: 20 }, (_, i) => `${service}-tx-${i}`), attribution: [{ key: 'region', value: 'eu-west-1', share: 1, lift: 3 }],
  };
  await upsertAnomalies(rt.db, [a], Date.now());
  return a;
}

const fast = (extra: Parameters<typeof outboxOptions>[1] = {}) => outboxOptions(rt, { retry: { ...DEFAULT_RETRY, baseMs: 50 }, ...extra });
async function rounds(n: number, extra: Parameters<typeof outboxOptions>[1] = {}) {
  for (let i = 0; i < n; i++) {
    await runAlerting(rt, fast(extra));
    await new Promise((r) => setTimeout(r, 60));
  }
}
const deliveries = async (q: string) => (await call(deliveriesRoute(new Request(`http://localhost/api/v1/deliveries?${q}`)))).body.deliveries as Json[];

beforeAll(async () => {
  configReceiver = await make();
  process.env.TXDRIFT_TEST_WEBHOOK_SECRET = SECRET;
  const dir = tempDir('txdrift-alerting-delivery-');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    `${dir}/txdrift.yaml`,
    `alerting:
  destinations:
    - { id: ops-config, name: ops from config, type: webhook, url: "${configReceiver.url}", secret_env: TXDRIFT_TEST_WEBHOOK_SECRET }
  rules:
    - { id: config-rule, name: svc-config to ops, match: { service: svc-config }, destinations: [ops-config] }
`,
  );
  rt = await startTestRuntime({ TXDRIFT_CONFIG: `${dir}/txdrift.yaml`, TXDRIFT_ALLOW_PRIVATE_WEBHOOKS: '1' });
});

afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
});

describe('restart in the middle of a delivery', () => {
  it('resends the same notification once after the restart: nothing lost, nothing doubled', async () => {
    const slow = await make((n) => ({ status: 200, hold: n === 0 }));
    const dest = await destinationFor('svc-restart', slow.url);
    const a = await episode('svc-restart');
    const stop = new AbortController();
    const before = runAlerting(rt, fast({ owner: 'process-before', signal: stop.signal }));
    await eventually(async () => slow.got.length === 1);
    stop.abort(); // the process stops while the receiver has not answered
    await before;
    slow.release();
    await rounds(4, { owner: 'process-after' });
    const ids = slow.got.map((g) => g.headers['webhook-id']);
    expect(ids).toEqual([notificationId(a.id, 'firing'), notificationId(a.id, 'firing')]);
    const log = await deliveries(`destination_id=${dest.id}`);
    expect(log.map((d) => [d.attempt, d.status])).toEqual([[2, 'delivered'], [1, 'retrying']]);
    expect(log[1]!.error).toMatch(/^interrupted/);
    await rounds(3, { owner: 'process-after' });
    expect(slow.got).toHaveLength(2);
  });

  it('two workers on one engine send each attempt once', async () => {
    const r = await make();
    await destinationFor('svc-twins', r.url);
    const a = await episode('svc-twins');
    await Promise.all([rounds(5), rounds(5), rounds(5)]);
    expect(r.got.map((g) => g.headers['webhook-id'])).toEqual([notificationId(a.id, 'firing')]);
  });

  it('workers of different processes (server mode: claims expire by lease only) send each attempt once, even against a slow receiver', async () => {
    const r = await make(() => ({ status: 200, hold: true }));
    const release = setInterval(() => r.release(), 300); // each answer takes up to 300 ms
    try {
      await destinationFor('svc-servers', r.url);
      const a = await episode('svc-servers');
      const worker = (owner: string) => rounds(8, { owner, otherOwnersAreGone: false });
      await Promise.all([worker('worker-a'), worker('worker-b'), worker('worker-c')]);
      expect(r.got.map((g) => g.headers['webhook-id'])).toEqual([notificationId(a.id, 'firing')]);
    } finally {
      clearInterval(release);
    }
  });
});

describe('SSRF guard', () => {
  it('refuses loopback, private and link-local destinations when private receivers are not allowed', async () => {
    const env = rt.env as { TXDRIFT_ALLOW_PRIVATE_WEBHOOKS: string };
    env.TXDRIFT_ALLOW_PRIVATE_WEBHOOKS = '0';
    try {
      for (const url of ['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://169.254.169.254/latest', 'http://10.1.2.3/x', 'http://[::1]:9/x']) {
        const res = await postJson(createDestination, { name: 'internal', type: 'webhook', url });
        expect(res.status, url).toBe(422);
        expect(res.body.message, url).toMatch(/^url: .* a loopback, private or link-local address: refused/);
      }
    } finally {
      env.TXDRIFT_ALLOW_PRIVATE_WEBHOOKS = '1';
    }
  });

  it('checks again at connect time: a name that now resolves to loopback is refused and not retried', async () => {
    const r = await make();
    const dest = await destinationFor('svc-ssrf', `http://localhost:${r.port}/hook`);
    await episode('svc-ssrf');
    await rounds(3, { allowPrivate: false });
    expect(r.got).toHaveLength(0);
    const log = await deliveries(`destination_id=${dest.id}`);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'failed', http_status: null });
    expect(log[0]!.error).toMatch(/localhost resolves to (127\.0\.0\.1|::1).*refused/);
  });
});

describe('status codes', () => {
  it('a 4xx other than 429 is recorded as a failure and not retried', async () => {
    const r = await make(() => ({ status: 400 }));
    const dest = await destinationFor('svc-400', r.url);
    await episode('svc-400');
    await rounds(4);
    expect(r.got).toHaveLength(1);
    expect(await deliveries(`destination_id=${dest.id}`)).toEqual([expect.objectContaining({ status: 'failed', http_status: 400, error: 'HTTP 400: nope (not retried)' })]);
  });

  it('410 Gone fails at once and switches the destination off', async () => {
    const r = await make(() => ({ status: 410 }));
    const dest = await destinationFor('svc-410', r.url);
    await episode('svc-410');
    await rounds(3);
    expect(r.got).toHaveLength(1);
    const listed = ((await call(listDestinations())).body.destinations as Json[]).find((d) => d.id === dest.id);
    expect(listed).toMatchObject({ enabled: false, last_delivery: { status: 'failed', http_status: 410 } });
  });

  it('a redirect is not followed', async () => {
    const target = await make();
    const r = await make(() => ({ status: 302, headers: { location: target.url } }));
    const dest = await destinationFor('svc-302', r.url);
    await episode('svc-302');
    await rounds(3);
    expect(target.got).toHaveLength(0);
    expect((await deliveries(`destination_id=${dest.id}`))[0]).toMatchObject({ status: 'failed', http_status: 302 });
  });

  it('429 with Retry-After waits as asked, then delivers', async () => {
    const r = await make((n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const dest = await destinationFor('svc-429', r.url);
    await episode('svc-429');
    await rounds(1);
    const [first] = await deliveries(`destination_id=${dest.id}`);
    expect(first).toMatchObject({ status: 'retrying', http_status: 429 });
    expect(Date.parse(first!.next_attempt_at) - Date.parse(first!.at)).toBe(1000);
    await eventually(async () => (await runAlerting(rt, fast()), r.got.length === 2), 15_000);
    expect(r.got[1]!.at - r.got[0]!.at).toBeGreaterThanOrEqual(1000);
    expect((await deliveries(`destination_id=${dest.id}`))[0]).toMatchObject({ status: 'delivered', attempt: 2 });
  });

  it('a receiver that does not answer in time is retried', async () => {
    const r = await make((n) => ({ status: 200, hold: n === 0 }));
    const dest = await destinationFor('svc-timeout', r.url);
    await episode('svc-timeout');
    await rounds(1, { timeoutMs: 300 });
    r.release();
    expect((await deliveries(`destination_id=${dest.id}`))[0]).toMatchObject({ status: 'retrying', http_status: null, error: 'timed out after 300 ms' });
    await rounds(3, { timeoutMs: 300 });
    expect((await deliveries(`destination_id=${dest.id}`))[0]).toMatchObject({ status: 'delivered', attempt: 2 });
  });
});

describe('rules', () => {
  it('group wait batches episodes opening together into one notification', async () => {
    const r = await make();
    const dest = await destinationFor('svc-group', r.url, { match: { service: 'svc-group', signal: 'ordering' }, group_wait_ms: 4000 });
    const a = await episode('svc-group', 'open', 'ordering');
    const b = await episode('svc-group', 'open', 'divergence'); // not matched by the rule
    await rounds(1);
    await new Promise((res) => setTimeout(res, 300));
    const c = { ...a, id: 'anm_group_second', start: new Date(Date.parse(a.start) + 60_000).toISOString() };
    await upsertAnomalies(rt.db, [c], Date.now());
    await rounds(1); // c's notification is written within a's group wait
    expect(r.got).toHaveLength(0);
    await new Promise((res) => setTimeout(res, 4000));
    await rounds(2);
    expect(r.got).toHaveLength(1);
    const body = JSON.parse(r.got[0]!.body) as { data: { anomalies: { anomaly_id: string }[] } };
    expect(body.data.anomalies.map((x) => x.anomaly_id).sort()).toEqual([a.id, c.id].sort());
    expect(r.got[0]!.body).not.toContain(b.id);
    expect(r.got[0]!.headers['webhook-id']).toBe(batchId([notificationId(a.id, 'firing'), notificationId(c.id, 'firing')]));
    expect(new Webhook(dest.secret).verify(r.got[0]!.body, r.got[0]!.headers as Record<string, string>)).toBeTruthy();
  });

  it('a muted rule sends nothing until the mute ends; min_score filters', async () => {
    const r = await make();
    const dest = await destinationFor('svc-mute', r.url, { muted_until: new Date(Date.now() + 3_600_000).toISOString() });
    await episode('svc-mute');
    await rounds(2);
    expect(r.got).toHaveLength(0);
    const patched = await call(patchRule(new Request('http://localhost/x', { method: 'PATCH', body: JSON.stringify({ muted_until: null, match: { service: 'svc-mute2', min_score: 0.99 } }) }), { params: Promise.resolve({ id: dest.rule }) }));
    expect(patched.body).toMatchObject({ muted_until: null, match: { service: 'svc-mute2', min_score: 0.99 } });
    await episode('svc-mute2'); // score 0.95 < 0.99
    await rounds(2);
    expect(r.got).toHaveLength(0);
  });

  it('a repeat interval re-sends firing for a long-running episode; pushed Alertmanager alerts are refreshed hourly and resolved ones re-sent for minutes', async () => {
    const hook = await make();
    const am = await make();
    await destinationFor('svc-repeat', hook.url, { repeat_interval_ms: 7_200_000 });
    await destinationFor('svc-repeat', `${am.url.replace('/hook', '')}/api/v2/alerts`, {}, 'alertmanager_api');
    const a = await episode('svc-repeat');
    const at = (offsetMs: number) => runAlerting(rt, fast(), Date.now() + offsetMs);
    await at(0);
    await at(60_000);
    expect([hook.got.length, am.got.length]).toEqual([1, 1]);
    await at(3_660_000); // one hour on: Alertmanager's alert is refreshed, the webhook's 2 h repeat is not due
    await at(3_700_000);
    expect([hook.got.length, am.got.length]).toEqual([1, 2]);
    const refreshed = JSON.parse(am.got[1]!.body) as { endsAt: string }[];
    expect(Date.parse(refreshed[0]!.endsAt)).toBeGreaterThan(Date.now() + 4 * 3_600_000);
    await at(7_300_000);
    expect([hook.got.length, am.got.length]).toEqual([2, 3]);
    expect(hook.got[1]!.headers['webhook-id']).toBe(notificationId(a.id, 'firing', 120)); // the repeat due 120 minutes after firing
    await upsertAnomalies(rt.db, [{ ...a, status: 'resolved', resolved_at: new Date().toISOString() }], Date.now() + 8_000_000);
    await at(7_400_000);
    await at(7_410_000);
    expect([hook.got.length, am.got.length]).toEqual([3, 4]);
    expect(JSON.parse(hook.got[2]!.body)).toMatchObject({ type: 'anomaly.resolved' });
    // Alertmanager gets the resolved alert again for a few minutes (it keeps no state across restarts); the webhook does not.
    await at(7_470_000);
    await at(7_480_000);
    expect([hook.got.length, am.got.length]).toEqual([3, 5]);
    await at(7_650_000);
    await at(7_800_000);
    expect([hook.got.length, am.got.length]).toEqual([3, 6]);
    const resent = JSON.parse(am.got[5]!.body) as { endsAt: string }[];
    expect(Date.parse(resent[0]!.endsAt)).toBeLessThanOrEqual(Date.now());
  });

  it('rules name their problems', async () => {
    const bad = await postJson(createRule, { name: 'x', match: { signal: 'latency', min_score: 2 }, destination_ids: ['dst_nope'], group_wait_ms: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('match.signal: expected one of');
    expect(bad.body.message).toContain('match.min_score: expected a score from 0 to 1');
    expect(bad.body.message).toContain('group_wait_ms');
    const unknown = await postJson(createRule, { name: 'x', destination_ids: ['dst_nope'] });
    expect(unknown.body.message).toBe('destination_ids.0: no destination "dst_nope"');
  });
});

describe('OpenAPI', () => {
  it('documents the alerting routes', async () => {
    const doc = (await (await openapi()).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/destinations', '/api/v1/destinations/{id}', '/api/v1/destinations/{id}/test', '/api/v1/rules', '/api/v1/rules/{id}', '/api/v1/deliveries', '/api/v1/notifications']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Destination', 'Rule', 'Delivery', 'Notification']));
  });
});

describe('TXDRIFT_CONFIG', () => {
  it('config destinations and rules are listed, read-only, and send signed with the secret from the environment', async () => {
    const rules = (await call(listRules())).body.rules as Json[];
    expect(rules.find((r) => r.id === 'config-rule')).toMatchObject({ source: 'config', destination_ids: ['ops-config'] });
    const patch = await call(patchRule(new Request('http://localhost/x', { method: 'PATCH', body: '{"enabled":false}' }), { params: Promise.resolve({ id: 'config-rule' }) }));
    expect(patch.status).toBe(422);
    const dests = (await call(listDestinations())).body.destinations as Json[];
    expect(dests.find((d) => d.id === 'ops-config')).toMatchObject({ source: 'config', type: 'webhook' });
    expect(JSON.stringify(dests)).not.toContain(SECRET);
    const a = await episode('svc-config');
    await rounds(2);
    expect(configReceiver.got).toHaveLength(1);
    const got = configReceiver.got[0]!;
    expect(new Webhook(SECRET).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ data: { anomalies: [{ anomaly_id: a.id }] } });
  });
});
