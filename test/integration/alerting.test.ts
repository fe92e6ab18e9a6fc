// Alerting end to end on the real engine with real HTTP receivers on 127.0.0.1: two hours
// of ordinary payments, a burst of duplicate captures that opens an episode, then recovery.
// Destinations are made through the API; every format is received and checked; the
// generic webhook's signature is verified with the independent `standardwebhooks` library.
// One firing and one resolved per destination, whatever the number of rounds, a receiver
// that fails twice, a restart mid-delivery and two workers at once.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as deliveriesRoute } from '@/app/api/v1/deliveries/route';
import { DELETE as deleteDestination, PATCH as patchDestination } from '@/app/api/v1/destinations/[id]/route';
import { POST as testDestination } from '@/app/api/v1/destinations/[id]/test/route';
import { GET as listDestinations, POST as createDestination } from '@/app/api/v1/destinations/route';
import { GET as notificationsRoute } from '@/app/api/v1/notifications/route';
import type { AnalysisEvent } from '@/lib/analysis/reference';
import { notificationId } from '@/lib/server/alerting/ids';
import { outboxOptions, runAlerting } from '@/lib/server/alerting/job';
import { DEFAULT_RETRY } from '@/lib/server/alerting/retry';
import { runPass } from '@/lib/server/analysis';
import { runDetection } from '@/lib/server/detection';
import type { Runtime } from '@/lib/server/runtime';
import { startTestRuntime, tempDir } from '../support/engine';
import { paymentEvents } from '../support/payment-events';
import { receiver, type Receiver } from '../support/receiver';

const MIN = 60_000;
const NOW = Math.floor(Date.now() / MIN) * MIN - MIN;
const OPENED_AT = NOW - 20 * MIN + 30_000; // detection "now" while the burst is on
const BURST = { from: NOW - 23 * MIN, to: NOW - 20 * MIN };



/** What a receiver got about one episode (PagerDuty's resolve names it by its dedup key only). */
const about = (r: Receiver, anomalyId: string) => r.got.filter((g) => g.body.includes(anomalyId) || g.body.includes(notificationId(anomalyId, 'firing')));

let rt: Runtime;
const receivers: Record<string, Receiver> = {};
const ids: Record<string, string> = {};
let secret = '';
const fast = () => outboxOptions(rt, { retry: { ...DEFAULT_RETRY, baseMs: 50 } });

async function insertHistory() {
  const rows: string[] = [];
  for (let m = NOW - 120 * MIN; m < NOW; m += MIN) {
    for (let k = 0; k < 20; k++) {
      const duplicate = m >= BURST.from && m < BURST.to && k % 5 < 2;
      for (const e of paymentEvents(`t${m}-${k}`, m + k * 2000, duplicate, duplicate ? 'eu-west-1' : ['us-east-1', 'eu-west-1', 'ap-south-1'][k % 3]!)) {
        const a = e as AnalysisEvent & { attributes: Record<string, string> };
        rows.push(JSON.stringify({
          ts: a.tsUs, received_at: a.receivedAtUs, inserted_at: a.insertedAtUs, tx_id: a.tx_id, event_id: a.event_id, service: a.service, operation: a.operation,
          tx_type: a.tx_type, state: a.state, status: a.status, seq: a.seq, idempotency_key: a.idempotency_key, attempt: 1, causation_id: '', trace_id: '',
          span_id: '', attributes: a.attributes, request_id: 'alerting-test',
        }));
      }
    }
  }
  await rt.db.insertRaw({ table: 'events', format: 'JSONEachRow', body: Buffer.from(rows.join('\n') + '\n'), settings: { insert_deduplicate: 0 } });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are inspected field by field below
type Json = Record<string, any>;
const call = async (res: Promise<Response>) => {
  const r = await res;
  return { status: r.status, body: (r.status === 204 ? null : await r.json()) as Json };
};
const post = (handler: (req: Request) => Promise<Response>, body: unknown) =>
  call(handler(new Request('http://localhost/api/v1/destinations', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })));
const withId = (id: string) => ({ params: Promise.resolve({ id }) });

/** Alerting rounds until nothing is left to send (retries are due within ~50–150 ms). */
async function drain(rounds = 40) {
  for (let i = 0; i < rounds; i++) {
    await runAlerting(rt, fast());
    await new Promise((r) => setTimeout(r, 60));
  }
}

beforeAll(async () => {
  const dir = tempDir('txdrift-alerting-config-');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${dir}/txdrift.yaml`, 'models:\n  payment:\n    states: [pending, captured]\n    transitions: { pending: [captured] }\n    participants: [api, payments, ledger]\n    settle_after: 1m\n');
  rt = await startTestRuntime({ TXDRIFT_CONFIG: `${dir}/txdrift.yaml`, TXDRIFT_ALLOW_PRIVATE_WEBHOOKS: '1', PUBLIC_URL: 'https://txdrift.example.com' });
  receivers.hook = await receiver();
  const tries = new Map<string, number>();
  receivers.flaky = await receiver((_n, h) => {
    const id = String(h['webhook-id']);
    tries.set(id, (tries.get(id) ?? 0) + 1);
    return { status: tries.get(id)! <= 2 ? 500 : 200 };
  });
  receivers.slack = await receiver();
  receivers.pagerduty = await receiver(() => ({ status: 202 }));
  receivers.alertmanager = await receiver();
  receivers.amapi = await receiver();
  await insertHistory();
  await runPass(rt);
});

afterAll(async () => {
  await Promise.all(Object.values(receivers).map((r) => r.close()));
});

describe('destinations API', () => {
  it('creates a webhook with one call, shows its secret once, and never again', async () => {
    const created = await post(createDestination, { name: 'ops webhook', type: 'webhook', url: `${receivers.hook!.url}?token=abc` });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^dst_/), type: 'webhook', enabled: true, has_template: false, last_delivery: null });
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.url_redacted).toMatch(/\/hook\?…$/);
    ids.hook = created.body.id;
    secret = created.body.secret;
    const list = await call(listDestinations());
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain('token=abc');
  });

  it('creates the other types, redacting Slack URLs and PagerDuty keys', async () => {
    const slack = await post(createDestination, { name: 'slack', type: 'slack', url: `${receivers.slack!.url.replace('/hook', '')}/services/T000/B000/XXXXSECRET` });
    expect(slack.status).toBe(201);
    expect(slack.body.secret).toBeUndefined();
    expect(slack.body.url_redacted).not.toContain('XXXXSECRET');
    const pd = await post(createDestination, { name: 'pager', type: 'pagerduty', url: receivers.pagerduty!.url, routing_key: '0123456789abcdef0123456789abcdef' });
    expect(pd.status).toBe(201);
    expect(JSON.stringify(pd.body)).not.toContain('0123456789abcdef0123456789abcdef');
    const am = await post(createDestination, { name: 'am webhook', type: 'alertmanager', url: receivers.alertmanager!.url });
    const amApi = await post(createDestination, { name: 'am push', type: 'alertmanager_api', url: `${receivers.amapi!.url.replace('/hook', '')}/api/v2/alerts` });
    const flaky = await post(createDestination, { name: 'flaky', type: 'webhook', url: receivers.flaky!.url });
    Object.assign(ids, { slack: slack.body.id, pagerduty: pd.body.id, alertmanager: am.body.id, amapi: amApi.body.id, flaky: flaky.body.id });
    expect((await call(listDestinations())).body.destinations).toHaveLength(6);
  });

  it('names every bad field, and answers 404 for an unknown destination', async () => {
    const bad = await post(createDestination, { name: '', type: 'sms', url: 'ftp://x', colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('name:');
    expect(bad.body.message).toContain('type: expected one of webhook, slack, pagerduty, alertmanager, alertmanager_api');
    expect(bad.body.message).toContain('colour: unknown field');
    expect((await post(createDestination, { name: 'pd', type: 'pagerduty' })).body.message).toContain('routing_key: required for type pagerduty');
    const badTemplate = await post(createDestination, { name: 't', type: 'webhook', url: receivers.hook!.url, template: '{"text": {{summary}' });
    expect(badTemplate.body.message).toMatch(/^template: does not render to valid JSON/);
    const missing = await call(patchDestination(new Request('http://localhost/x', { method: 'PATCH', body: '{"enabled":false}' }), withId('dst_nope')));
    expect(missing.status).toBe(404);
  });

  it('updates and deletes', async () => {
    const tmp = await post(createDestination, { name: 'tmp', type: 'webhook', url: receivers.hook!.url });
    const patched = await call(patchDestination(new Request('http://localhost/x', { method: 'PATCH', body: '{"name":"renamed","enabled":false}' }), withId(tmp.body.id)));
    expect(patched.body).toMatchObject({ name: 'renamed', enabled: false });
    expect((await call(deleteDestination(new Request('http://localhost/x', { method: 'DELETE' }), withId(tmp.body.id)))).status).toBe(204);
    expect((await call(listDestinations())).body.destinations.map((d: { id: string }) => d.id)).not.toContain(tmp.body.id);
  });

  it('a test send arrives signed: the independent library verifies it', async () => {
    const res = await call(testDestination(new Request('http://localhost/x', { method: 'POST' }), withId(ids.hook!)));
    expect(res.body.delivery).toMatchObject({ transition: 'test', status: 'delivered', http_status: 200, attempt: 1, destination_name: 'ops webhook' });
    const got = receivers.hook!.got.at(-1)!;
    const verified = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as { type: string };
    expect(verified.type).toBe('anomaly.test');
    expect(got.headers['webhook-id']).toBe(res.body.delivery.notification_id);
    expect(got.headers['idempotency-key']).toBe(res.body.delivery.notification_id);
    expect(() => new Webhook(secret).verify(got.body.replace('payments', 'paymentz'), got.headers as Record<string, string>)).toThrow();
    receivers.hook!.got.length = 0;
  });
});

describe('lifecycle', () => {
  let anomalyId = '';

  it('a fault burst opens an episode: one firing notification per destination, with the evidence', async () => {
    await runDetection(rt, OPENED_AT);
    // The burst opens two episodes: duplicate_execution on payments, and on all services together.
    const open = await rt.db.query<{ id: string; service: string }>(`SELECT id, service FROM anomalies FINAL WHERE status = 'open' ORDER BY service`);
    expect(open.map((a) => a.service)).toEqual(['', 'payments']);
    anomalyId = open[1]!.id;
    await drain();
    expect(receivers.hook!.got).toHaveLength(2);
    const hook = about(receivers.hook!, anomalyId);
    expect(hook).toHaveLength(1);
    expect(hook[0]!.headers['webhook-id']).toBe(notificationId(anomalyId, 'firing'));
    const body = new Webhook(secret).verify(hook[0]!.body, hook[0]!.headers as Record<string, string>) as { type: string; data: { anomalies: Json[] } };
    expect(body.type).toBe('anomaly.firing');
    const e = body.data.anomalies[0]!;
    expect(e).toMatchObject({
      anomaly_id: anomalyId, anomaly_url: `https://txdrift.example.com/anomalies/${anomalyId}`, signal: 'duplicate_execution', service: 'payments', tx_type: 'payment', status: 'open',
    });
    expect(e.observed_rate).toBeGreaterThan(0.3);
    expect(e.expected_rate).toBeLessThan(0.01);
    expect(e.score).toBeGreaterThan(0.5);
    expect(e.sample_size).toBeGreaterThan(0);
    expect(e.top_attributions[0]).toMatchObject({ key: 'region', value: 'eu-west-1' });
    expect(e.affected_transactions.length).toBeGreaterThan(0);
    expect(e.affected_transactions.length).toBeLessThanOrEqual(10);
    expect(e.affected_transactions[0].url).toBe(`https://txdrift.example.com/transactions/${e.affected_transactions[0].tx_id}`);
    expect(Buffer.byteLength(hook[0]!.body)).toBeLessThan(20_000);
  });

  it('every format arrives once, in its receiver\'s shape', async () => {
    for (const r of Object.values(receivers)) expect(about(r, anomalyId)).toHaveLength(r === receivers.flaky ? 3 : 1);
    const slack = JSON.parse(about(receivers.slack!, anomalyId)[0]!.body);
    expect(slack.text).toMatch(/^\[FIRING\] duplicate_execution on payments \(payment\)/);
    expect(JSON.stringify(slack.blocks)).toContain(`<https://txdrift.example.com/anomalies/${anomalyId}|Open the anomaly in txdrift>`);
    const pd = JSON.parse(about(receivers.pagerduty!, anomalyId)[0]!.body);
    expect(pd).toMatchObject({ routing_key: '0123456789abcdef0123456789abcdef', event_action: 'trigger', dedup_key: notificationId(anomalyId, 'firing') });
    expect(pd.payload).toMatchObject({ source: 'txdrift/payments', class: 'duplicate_execution', component: 'payments' });
    const am = JSON.parse(about(receivers.alertmanager!, anomalyId)[0]!.body);
    expect(am).toMatchObject({ version: '4', status: 'firing', receiver: 'am webhook' });
    expect(am.alerts[0]).toMatchObject({ status: 'firing', endsAt: '0001-01-01T00:00:00Z', labels: { alertname: 'TxdriftAnomaly', service: 'payments', anomaly_id: anomalyId } });
    expect(am.alerts[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const push = JSON.parse(about(receivers.amapi!, anomalyId)[0]!.body);
    expect(Array.isArray(push) && push[0].labels.signal).toBe('duplicate_execution');
  });

  it('a receiver that answers 500 twice then 200 gets three tries of one notification and accepts exactly one', async () => {
    const flaky = about(receivers.flaky!, anomalyId);
    expect(flaky.map((g) => g.status)).toEqual([500, 500, 200]);
    expect(new Set(flaky.map((g) => g.headers['webhook-id']))).toEqual(new Set([notificationId(anomalyId, 'firing')]));
    const log = await call(deliveriesRoute(new Request(`http://localhost/api/v1/deliveries?destination_id=${ids.flaky}&anomaly_id=${anomalyId}`)));
    expect(log.body.deliveries.map((d: { attempt: number; status: string; http_status: number }) => [d.attempt, d.status, d.http_status])).toEqual([
      [3, 'delivered', 200], [2, 'retrying', 500], [1, 'retrying', 500],
    ]);
  });

  it('more rounds and more detection passes send nothing more', async () => {
    await runDetection(rt, OPENED_AT + 10_000);
    await drain(5);
    for (const r of Object.values(receivers)) expect(about(r, anomalyId)).toHaveLength(r === receivers.flaky ? 3 : 1);
    expect(receivers.hook!.got).toHaveLength(2);
  });

  it('recovery resolves the episode: one resolved per destination, even with two workers at once', async () => {
    await runDetection(rt, NOW);
    await Promise.all([drain(10), drain(10)]);
    const resolvedId = notificationId(anomalyId, 'resolved');
    const hook = about(receivers.hook!, anomalyId);
    expect(hook.map((g) => g.headers['webhook-id'])).toEqual([notificationId(anomalyId, 'firing'), resolvedId]);
    expect(JSON.parse(hook[1]!.body)).toMatchObject({ type: 'anomaly.resolved', data: { anomalies: [{ status: 'resolved' }] } });
    for (const name of ['slack', 'pagerduty', 'alertmanager', 'amapi']) expect(about(receivers[name]!, anomalyId), name).toHaveLength(2);
    expect(JSON.parse(about(receivers.pagerduty!, anomalyId)[1]!.body)).toEqual({
      routing_key: '0123456789abcdef0123456789abcdef', event_action: 'resolve', dedup_key: notificationId(anomalyId, 'firing'),
    });
    expect(JSON.parse(about(receivers.alertmanager!, anomalyId)[1]!.body)).toMatchObject({ status: 'resolved', alerts: [{ status: 'resolved' }] });
  });

  it('lists the notifications of the episode with each destination\'s outcome', async () => {
    const res = await call(notificationsRoute(new Request(`http://localhost/api/v1/notifications?anomaly_id=${anomalyId}`)));
    const list = res.body.notifications as { id: string; transition: string; destinations: { destination_name: string; status: string; attempts: number }[] }[];
    expect(list.map((n) => n.transition).sort()).toEqual(['firing', 'resolved']);
    const firing = list.find((n) => n.transition === 'firing')!;
    expect(firing.destinations).toHaveLength(6);
    expect(firing.destinations.every((d) => d.status === 'delivered')).toBe(true);
    expect(firing.destinations.find((d) => d.destination_name === 'flaky')).toMatchObject({ attempts: 3 });
    const page = await call(deliveriesRoute(new Request(`http://localhost/api/v1/deliveries?anomaly_id=${anomalyId}&limit=5`)));
    expect(page.body.deliveries).toHaveLength(5);
    const next = await call(deliveriesRoute(new Request(`http://localhost/api/v1/deliveries?anomaly_id=${anomalyId}&limit=100&cursor=${page.body.next_cursor}`)));
    expect(page.body.deliveries.length + next.body.deliveries.length).toBe(6 + 2 + 6 + 2); // firing and resolved to 6 destinations, flaky's 2 retries of each
    expect((await call(deliveriesRoute(new Request('http://localhost/api/v1/deliveries?status=lost')))).body.message).toContain('parameter status');
  });
});
