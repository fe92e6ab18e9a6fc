// The persistent outbox: every (notification, destination) whose last recorded attempt
// does not say delivered or failed is due, now or at its next_attempt_at. Before each
// attempt a worker writes a claim and reads back the winner (the earliest claim of that
// attempt number); only the winner sends and records the attempt. So with several workers
// on one ClickHouse, one attempt is made once. A claim whose worker stopped before recording
// (a restart mid-delivery) expires after `leaseMs` (at once on the embedded engine, where a
// claim from another process can only be from a dead one): that attempt is logged as
// interrupted and the next one resends with the same webhook-id.
import 'server-only';
import type { AlertNotification } from '@/lib/domain/alerting-payload';
import {
  claim, deliveryExists, dueItems, insertDeliveries, notificationsById, unfinished, type DeliveryRow, type DueItem, type NotificationRow,
} from '../clickhouse/alerting-outbox';
import type { Runtime } from '../runtime';
import { formBatches } from './batching';
import { deliverOnce } from './deliver';
import { allDestinations, saveDestination, storedDestination, type ResolvedDestination } from './destinations';
import { batchId, deliveryId, notificationId, randomId } from './ids';
import { DEFAULT_RETRY, judgeAttempt, type RetryPolicy } from './retry';
import { allRules } from './rules';
import { groupWaitMs } from './routing';

export interface OutboxOptions {
  /** This process (or worker loop) as a claimer. */
  owner: string;
  leaseMs: number;
  retry: RetryPolicy;
  timeoutMs: number;
  allowPrivate: boolean;
  signal?: AbortSignal;
  /**
   * Claims of other owners expire at once (default: on the embedded engine, where another
   * owner can only be a process that has stopped). Off, as between workers in server mode,
   * only `leaseMs` expires them.
   */
  otherOwnersAreGone?: boolean;
}

export const defaultOutboxOptions = (allowPrivate: boolean, owner: string): OutboxOptions => ({
  owner, leaseMs: 120_000, retry: DEFAULT_RETRY, timeoutMs: 10_000, allowPrivate,
});

/** Sends what is due; answers the number of attempts made. */
export async function dispatchDue(rt: Runtime, o: OutboxOptions, nowMs = Date.now()): Promise<number> {
  const due = await dueItems(rt.db, nowMs);
  if (due.length === 0) return 0;
  const [destinations, rules, payloads] = await Promise.all([
    allDestinations(rt, true),
    allRules(rt),
    notificationsById(rt.db, [...new Set(due.map((d) => d.notification_id))]),
  ]);
  const byId = new Map(destinations.map((d) => [d.id, d]));
  const notifications = new Map(payloads.map((n) => [n.id, n]));
  // A resolved notification waits until its firing one is finished for that destination.
  const waiting = await unfinished(rt.db, due.filter((d) => d.transition === 'resolved').map((d) => notificationId(d.anomaly_id, 'firing')));
  const perDestination = new Map<string, DueItem[]>();
  for (const d of due) {
    if (d.transition === 'resolved' && waiting.has(`${notificationId(d.anomaly_id, 'firing')}/${d.destination_id}`)) continue;
    perDestination.set(d.destination_id, [...(perDestination.get(d.destination_id) ?? []), d]);
  }
  const counts = await Promise.all(
    [...perDestination].map(async ([destId, items]) => {
      const dest = byId.get(destId);
      const unusable = !dest ? 'destination deleted' : dest.problem === 'deleted' ? 'destination deleted' : !dest.enabled ? 'destination disabled' : null;
      if (unusable || !dest) return abandon(rt, items, unusable ?? 'destination deleted');
      let attempts = 0;
      for (const batch of formBatches(items, groupWaitMs(rules, destId), nowMs)) {
        if (o.signal?.aborted) break;
        attempts += await sendBatch(rt, dest, batch, notifications, o);
      }
      return attempts;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** Records a final failure without sending (the destination is gone or switched off). */
async function abandon(rt: Runtime, items: DueItem[], reason: string): Promise<number> {
  const now = Date.now();
  await insertDeliveries(rt.db, items.map((i) => record(i, i.notification_id, i.attempts + 1, now, { status: 'failed', error: reason, first: i.first_attempt_ms ?? now })));
  return 0;
}

async function sendBatch(rt: Runtime, dest: ResolvedDestination, batch: DueItem[], notifications: Map<string, NotificationRow>, o: OutboxOptions): Promise<number> {
  const won: DueItem[] = [];
  const token = randomId('clm');
  for (const item of batch) {
    const attempt = item.attempts + 1;
    const c = await claim(rt.db, { notification_id: item.notification_id, destination_id: dest.id, attempt, token, owner: o.owner });
    if (c.token === token) won.push(item);
    else if (c.age_ms > o.leaseMs || ((o.otherOwnersAreGone ?? rt.db.mode === 'embedded') && c.owner !== o.owner)) await markInterrupted(rt, item);
  }
  const members = won.filter((i) => notifications.has(i.notification_id));
  if (members.length === 0) return 0;
  const id = batchId(members.map((m) => m.notification_id));
  const payload = mergePayloads(id, members.map((m) => JSON.parse(notifications.get(m.notification_id)!.payload) as AlertNotification));
  const result = await deliverOnce(dest, payload, { timeoutMs: o.timeoutMs, allowPrivate: o.allowPrivate, signal: o.signal });
  // Stopping mid-attempt: record nothing; the claim expires and the next worker resends with the same id.
  if (o.signal?.aborted) return 1;
  const now = Date.now();
  const attempt = Math.max(...members.map((m) => m.attempts + 1));
  const first = Math.min(...members.map((m) => m.first_attempt_ms ?? now - result.latencyMs));
  const outcome = judgeAttempt(result, { attempt, firstAttemptMs: first, nowMs: now }, o.retry);
  // 410 Gone: the receiver asks to stop (Standard Webhooks); a destination made through the API is switched off.
  if (result.status === 410) await disableGone(rt, dest);
  const status = outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'retrying' : 'failed';
  await insertDeliveries(
    rt.db,
    members.map((m) =>
      record(m, id, m.attempts + 1, now, {
        status, http: result.status, latency: result.latencyMs, error: outcome.kind === 'delivered' ? '' : outcome.reason, first,
        next: outcome.kind === 'retry' ? now + outcome.delayMs : null,
      }),
    ),
  );
  return 1;
}

async function disableGone(rt: Runtime, dest: ResolvedDestination): Promise<void> {
  if (dest.source !== 'api' || !dest.enabled) return;
  const stored = await storedDestination(rt.db, dest.id);
  if (stored) await saveDestination(rt.db, dest.id, { ...stored.spec, enabled: false }, Date.parse(stored.created_at));
}

/** The attempt's claimer stopped before recording an answer: log it, and make the next attempt due now. */
async function markInterrupted(rt: Runtime, item: DueItem): Promise<void> {
  const attempt = item.attempts + 1;
  if (await deliveryExists(rt.db, deliveryId(item.notification_id, item.destination_id, attempt))) return;
  const now = Date.now();
  await insertDeliveries(rt.db, [
    record(item, item.last_batch_id || item.notification_id, attempt, now, {
      status: 'retrying', error: 'interrupted: the worker that made this attempt stopped before recording the answer', first: item.first_attempt_ms ?? now, next: now,
    }),
  ]);
}

function record(
  item: DueItem,
  batch: string,
  attempt: number,
  now: number,
  r: { status: DeliveryRow['status']; error: string; first: number; http?: number | null; latency?: number | null; next?: number | null },
): DeliveryRow {
  return {
    id: deliveryId(item.notification_id, item.destination_id, attempt),
    notification_id: item.notification_id,
    batch_id: batch,
    anomaly_ids: [item.anomaly_id],
    destination_id: item.destination_id,
    transition: item.transition,
    attempt,
    status: r.status,
    http_status: r.http ?? null,
    latency_ms: r.latency ?? null,
    error: r.error,
    at_ms: now,
    first_attempt_ms: r.first,
    next_attempt_ms: r.next ?? null,
  };
}

/** Several notifications of one transition sent as one: the batch id, every episode. */
export function mergePayloads(id: string, payloads: AlertNotification[]): AlertNotification {
  const [first] = payloads;
  if (payloads.length === 1) return first!;
  return { ...first!, id, anomalies: payloads.flatMap((p) => p.anomalies) };
}
