// Server functions behind /api/v1/destinations, /rules, /deliveries and /notifications.
import 'server-only';
import {
  type Delivery, type DeliveryListQuery, type DestinationCreate, type DestinationUpdate, type Rule, type RuleCreate, type RuleUpdate,
} from '@/lib/domain/alerting';
import { sampleEvidence, type AlertNotification } from '@/lib/domain/alerting-payload';
import { templateProblem } from '@/lib/domain/alerting-template';
import { insertDeliveries, lastDeliveries, listDeliveries, notificationsWithAttempts, type DeliveryRow } from '../clickhouse/alerting-outbox';
import { AppError } from '../errors';
import type { Runtime } from '../runtime';
import { deliverOnce } from './deliver';
import {
  allDestinations, applyUpdate, saveDestination, specFromCreate, storedDestination, toApiDestination, type DestinationSpec, type ResolvedDestination,
} from './destinations';
import { publicUrl } from './evidence';
import { templateContext } from './formats';
import { deliveryId, randomId } from './ids';
import { judgeAttempt } from './retry';
import { allRules, applyRuleUpdate, saveRule, storedRule } from './rules';
import { generateSecret } from './sign';
import { checkUrl, SsrfError } from './ssrf';

const allowPrivate = (rt: Runtime) => rt.env.TXDRIFT_ALLOW_PRIVATE_WEBHOOKS === '1';

async function validateSpec(rt: Runtime, s: DestinationSpec): Promise<void> {
  try {
    await checkUrl(s.url, allowPrivate(rt));
  } catch (err) {
    if (err instanceof SsrfError) throw new AppError('conflict', `url: ${err.message}`);
    throw err;
  }
  if (s.template) {
    const sample: AlertNotification = { id: 'ntf_sample', transition: 'firing', created_at: new Date().toISOString(), public_url: publicUrl(rt.env), anomalies: [sampleEvidence(publicUrl(rt.env))] };
    const problem = templateProblem(s.template, templateContext(sample));
    if (problem) throw new AppError('bad_request', `template: ${problem}`);
  }
}

export async function listDestinationsApi(rt: Runtime) {
  const [all, last] = await Promise.all([allDestinations(rt), lastDeliveries(rt.db)]);
  return { destinations: all.map((d) => toApiDestination(d, last)) };
}

export async function createDestinationApi(rt: Runtime, body: DestinationCreate) {
  const secret = body.type === 'webhook' ? generateSecret() : null;
  const spec = specFromCreate(body, secret);
  await validateSpec(rt, spec);
  const id = randomId('dst');
  const now = Date.now();
  await saveDestination(rt.db, id, spec, now);
  const created: ResolvedDestination = { ...spec, id, source: 'api', created_at: new Date(now).toISOString(), updated_at: new Date(now).toISOString(), problem: null };
  return { ...toApiDestination(created, new Map()), ...(secret && { secret }) };
}

async function apiDestination(rt: Runtime, id: string) {
  const stored = await storedDestination(rt.db, id);
  if (stored) return stored;
  if (rt.config.alerting.destinations.some((d) => d.id === id)) throw new AppError('conflict', `destination ${id} is defined in TXDRIFT_CONFIG: change it there`);
  throw new AppError('not_found', `no destination ${JSON.stringify(id)}`);
}

export async function updateDestinationApi(rt: Runtime, id: string, body: DestinationUpdate) {
  const current = await apiDestination(rt, id);
  const spec = applyUpdate(current.spec, body);
  if (spec.type === 'pagerduty' && !spec.routing_key) throw new AppError('bad_request', 'routing_key: required for type pagerduty');
  if (spec.type !== 'webhook' && spec.template) throw new AppError('bad_request', 'template: only for type webhook');
  if (spec.type !== 'pagerduty' && body.routing_key) throw new AppError('bad_request', 'routing_key: only for type pagerduty');
  await validateSpec(rt, spec);
  await saveDestination(rt.db, id, spec, Date.parse(current.created_at));
  const d = (await allDestinations(rt)).find((x) => x.id === id)!;
  return toApiDestination(d, await lastDeliveries(rt.db));
}

export async function deleteDestinationApi(rt: Runtime, id: string) {
  const current = await apiDestination(rt, id);
  await saveDestination(rt.db, id, current.spec, Date.parse(current.created_at), true);
}

/** Sends a made-up episode now, once, and logs the attempt (transition `test`). */
export async function testDestinationApi(rt: Runtime, id: string) {
  const dest = (await allDestinations(rt)).find((d) => d.id === id);
  if (!dest) throw new AppError('not_found', `no destination ${JSON.stringify(id)}`);
  const base = publicUrl(rt.env);
  const n: AlertNotification = { id: randomId('ntf'), transition: 'test', created_at: new Date().toISOString(), public_url: base, anomalies: [sampleEvidence(base)] };
  const result = await deliverOnce(dest, n, { allowPrivate: allowPrivate(rt) });
  const now = Date.now();
  const outcome = judgeAttempt(result, { attempt: 1, firstAttemptMs: now, nowMs: now });
  const row: DeliveryRow = {
    id: deliveryId(n.id, id, 1), notification_id: n.id, batch_id: n.id, anomaly_ids: [], destination_id: id, transition: 'test', attempt: 1,
    status: outcome.kind === 'delivered' ? 'delivered' : 'failed', http_status: result.status, latency_ms: result.latencyMs,
    error: outcome.kind === 'delivered' ? '' : outcome.reason, at_ms: now, first_attempt_ms: now, next_attempt_ms: null,
  };
  await insertDeliveries(rt.db, [row]);
  return { delivery: toApiDelivery(row, new Map([[id, dest]])) };
}

async function checkDestinations(rt: Runtime, ids: string[]) {
  const known = new Set((await allDestinations(rt)).map((d) => d.id));
  const bad = ids.map((d, i) => (known.has(d) ? null : `destination_ids.${i}: no destination ${JSON.stringify(d)}`)).filter(Boolean);
  if (bad.length) throw new AppError('bad_request', bad.join('; '));
}

export async function listRulesApi(rt: Runtime) {
  return { rules: await allRules(rt) };
}

export async function createRuleApi(rt: Runtime, body: RuleCreate): Promise<Rule> {
  await checkDestinations(rt, body.destination_ids);
  const id = randomId('rul');
  await saveRule(rt.db, id, body, Date.now());
  return (await storedRule(rt.db, id))!;
}

async function apiRule(rt: Runtime, id: string): Promise<Rule> {
  const stored = await storedRule(rt.db, id);
  if (stored) return stored;
  if (rt.config.alerting.rules.some((r) => r.id === id)) throw new AppError('conflict', `rule ${id} is defined in TXDRIFT_CONFIG: change it there`);
  throw new AppError('not_found', `no rule ${JSON.stringify(id)}`);
}

export async function updateRuleApi(rt: Runtime, id: string, body: RuleUpdate): Promise<Rule> {
  const current = await apiRule(rt, id);
  if (body.destination_ids) await checkDestinations(rt, body.destination_ids);
  await saveRule(rt.db, id, applyRuleUpdate(current, body), Date.parse(current.created_at));
  return (await storedRule(rt.db, id))!;
}

export async function deleteRuleApi(rt: Runtime, id: string) {
  const current = await apiRule(rt, id);
  await saveRule(rt.db, id, applyRuleUpdate(current, {}), Date.parse(current.created_at), true);
}

function toApiDelivery(r: DeliveryRow, dests: Map<string, ResolvedDestination>): Delivery {
  const d = dests.get(r.destination_id);
  return {
    id: r.id, notification_id: r.notification_id, anomaly_id: r.anomaly_ids[0] ?? null, anomaly_ids: r.anomaly_ids,
    destination_id: r.destination_id, destination_name: d?.name ?? '(deleted destination)', destination_type: d?.type ?? 'webhook',
    transition: r.transition, attempt: r.attempt, status: r.status, http_status: r.http_status, latency_ms: r.latency_ms,
    error: r.error || null, at: new Date(r.at_ms).toISOString(), next_attempt_at: r.next_attempt_ms === null ? null : new Date(r.next_attempt_ms).toISOString(),
  };
}

const encodeCursor = (r: DeliveryRow) => Buffer.from(`${r.at_ms}|${r.id}`).toString('base64url');
function decodeCursor(c: string): { at_ms: number; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString('utf8').split('|');
  if (!at || !id || !/^\d+$/.test(at)) throw new AppError('bad_request', 'parameter cursor: expected the next_cursor of a previous page');
  return { at_ms: Number(at), id };
}

export async function listDeliveriesApi(rt: Runtime, q: DeliveryListQuery, signal?: AbortSignal) {
  const rows = await listDeliveries(rt.db, { ...q, before: q.cursor ? decodeCursor(q.cursor) : undefined, limit: q.limit + 1 }, signal);
  const dests = new Map((await allDestinations(rt, true)).map((d) => [d.id, d]));
  const page = rows.slice(0, q.limit);
  return { deliveries: page.map((r) => toApiDelivery(r, dests)), next_cursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null };
}

export async function listNotificationsApi(rt: Runtime, q: { anomaly_id?: string; limit: number }) {
  const { notifications, attempts } = await notificationsWithAttempts(rt.db, q.anomaly_id, q.limit);
  const dests = new Map((await allDestinations(rt, true)).map((d) => [d.id, d]));
  return {
    notifications: notifications.map((n) => ({
      id: n.id,
      anomaly_id: n.anomaly_id,
      transition: n.transition,
      repeat: n.repeat,
      created_at: new Date(n.created_ms).toISOString(),
      destinations: n.destination_ids.map((destId) => {
        const tried = attempts.filter((a) => a.notification_id === n.id && a.destination_id === destId);
        const last = tried.at(-1);
        return {
          destination_id: destId,
          destination_name: dests.get(destId)?.name ?? '(deleted destination)',
          destination_type: dests.get(destId)?.type ?? null,
          status: !last || last.status === 'retrying' ? 'pending' : last.status,
          attempts: tried.length,
          last_error: last?.error || null,
          last_attempt_at: last ? new Date(last.at_ms).toISOString() : null,
        };
      }),
    })),
  };
}
