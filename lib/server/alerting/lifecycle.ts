// Episode transitions → notifications. Judged from the stored episodes (`anomalies FINAL`)
// after detection, never from memory, so a restart neither loses nor repeats one: each
// transition has a stable notification id, and one that is already written is not written
// again (two workers writing it at once collapse into one row). An episode first seen
// already resolved gets both its firing and its resolved notification.
import 'server-only';
import type { Rule } from '@/lib/domain/alerting';
import type { AlertEvidence, AlertNotification } from '@/lib/domain/alerting-payload';
import { insertNotifications, notificationsOf, type NotificationRow } from '../clickhouse/alerting-outbox';
import { listAnomalies, type AnomalyRecord } from '../clickhouse/anomalies';
import type { Runtime } from '../runtime';
import { allDestinations } from './destinations';
import { evidenceOf, publicUrl } from './evidence';
import { notificationId } from './ids';
import { allRules } from './rules';
import { repeatIntervals, routeEpisode } from './routing';

/** Episodes open now or resolved within this long are considered (older history never notifies). */
const LOOKBACK_MS = 3_600_000;

export async function recordTransitions(rt: Runtime, nowMs = Date.now()): Promise<number> {
  // The store ends open episodes at its own clock, so a `nowMs` ahead of it (tests) must not exclude them.
  const anomalies = await listAnomalies(rt.db, { from: Math.min(nowMs, Date.now()) - LOOKBACK_MS, to: nowMs + 60_000 });
  if (anomalies.length === 0) return 0;
  const existing = new Map((await notificationsOf(rt.db, anomalies.map((a) => a.id))).map((n) => [n.id, n]));
  let context: Context | null = null;
  const rows: NotificationRow[] = [];
  for (const a of anomalies) {
    const resolvedRow = existing.get(notificationId(a.id, 'resolved'));
    if (resolvedRow) {
      if (resolvedRow.destination_ids.length > 0 && nowMs - resolvedRow.created_ms < RESOLVED_RESEND_WINDOW_MS) {
        context ??= await loadContext(rt);
        rows.push(...resolvedResends(resolvedRow, existing, context, nowMs));
      }
      continue;
    }
    const firing = existing.get(notificationId(a.id, 'firing'));
    const resolvedDue = a.status === 'resolved' && !existing.has(notificationId(a.id, 'resolved'));
    const mayRepeat = a.status === 'open' && firing !== undefined;
    if (firing && !resolvedDue && !mayRepeat) continue;
    context ??= await loadContext(rt);
    if (mayRepeat && !resolvedDue && !repeatMaybeDue(context, firing!, existing, nowMs)) continue;
    const ev = await evidenceOf(rt.db, publicUrl(rt.env), a);
    rows.push(...transitionsOf(a, ev, firing, existing, context, nowMs));
  }
  await insertNotifications(rt.db, rows);
  return rows.length;
}

/**
 * Alertmanager forgets a pushed alert at its endsAt (we send now + 4 h) and after its own
 * restarts: firing alerts pushed to it are re-sent hourly until the episode resolves.
 */
const ALERTMANAGER_REFRESH_MS = 3_600_000;

interface Context {
  rules: Rule[];
  destinations: { id: string; enabled: boolean }[];
  /** Destinations re-notified regardless of rules (alertmanager_api). */
  refreshed: Set<string>;
}

async function loadContext(rt: Runtime): Promise<Context> {
  const destinations = await allDestinations(rt);
  return { rules: await allRules(rt), destinations, refreshed: new Set(destinations.filter((d) => d.type === 'alertmanager_api').map((d) => d.id)) };
}

/**
 * Alertmanager keeps no state across its restarts: the resolved alert is pushed again 1, 2
 * and 4 minutes after the first time (its docs ask for up to 5 minutes).
 */
const RESOLVED_RESEND_MINUTES = [1, 2, 4];
const RESOLVED_RESEND_WINDOW_MS = 5 * 60_000;

function resolvedResends(resolved: NotificationRow, existing: Map<string, NotificationRow>, ctx: Context, nowMs: number): NotificationRow[] {
  const dests = resolved.destination_ids.filter((d) => ctx.refreshed.has(d));
  const due = RESOLVED_RESEND_MINUTES.filter((m) => nowMs - resolved.created_ms >= m * 60_000).at(-1);
  if (dests.length === 0 || due === undefined || existing.has(notificationId(resolved.anomaly_id, 'resolved', due))) return [];
  const id = notificationId(resolved.anomaly_id, 'resolved', due);
  const payload = { ...(JSON.parse(resolved.payload) as AlertNotification), id, created_at: new Date(nowMs).toISOString() };
  return [{ ...resolved, id, repeat: due, destination_ids: dests, payload: JSON.stringify(payload), created_ms: nowMs }];
}

/** Cheap pre-check before loading evidence: is some repeat number due that is not written yet? */
function repeatMaybeDue(ctx: Context, firing: NotificationRow, existing: Map<string, NotificationRow>, nowMs: number): boolean {
  const intervals = ctx.rules.flatMap((r) => (r.repeat_interval_ms === null ? [] : [r.repeat_interval_ms]));
  if (firing.destination_ids.some((d) => ctx.refreshed.has(d))) intervals.push(ALERTMANAGER_REFRESH_MS);
  return intervals.some((i) => {
    const slot = repeatSlot(nowMs - firing.created_ms, i);
    return slot > 0 && !existing.has(notificationId(firing.anomaly_id, 'firing', slot));
  });
}

function transitionsOf(
  a: AnomalyRecord,
  ev: AlertEvidence,
  firing: NotificationRow | undefined,
  existing: Map<string, NotificationRow>,
  ctx: Context,
  nowMs: number,
): NotificationRow[] {
  const out: NotificationRow[] = [];
  let fired = firing;
  if (!fired) {
    const asOpen: AlertEvidence = { ...ev, status: 'open', resolved_at: null };
    fired = row(a.id, 'firing', 0, routeEpisode(ctx.rules, ctx.destinations, asOpen, nowMs), asOpen, nowMs);
    out.push(fired);
  }
  if (a.status === 'resolved') {
    if (!existing.has(notificationId(a.id, 'resolved'))) out.push(row(a.id, 'resolved', 0, fired.destination_ids, ev, nowMs));
    return out;
  }
  if (!firing) return out;
  // Repeats of a long-running episode, keyed by the minute (since the firing one) they fall due at,
  // so destinations with different intervals never claim each other's repeat.
  const byRepeat = new Map<number, string[]>();
  const intervals = repeatIntervals(ctx.rules, ev, firing.destination_ids, nowMs);
  for (const d of firing.destination_ids) if (ctx.refreshed.has(d)) intervals.set(d, Math.min(intervals.get(d) ?? Infinity, ALERTMANAGER_REFRESH_MS));
  for (const [dest, interval] of intervals) {
    const slot = repeatSlot(nowMs - firing.created_ms, interval);
    if (slot > 0 && !existing.has(notificationId(a.id, 'firing', slot))) byRepeat.set(slot, [...(byRepeat.get(slot) ?? []), dest]);
  }
  for (const [n, dests] of byRepeat) out.push(row(a.id, 'firing', n, dests.sort(), ev, nowMs));
  return out;
}

/** Minutes after the firing notification at which the latest repeat of this interval fell due (0: none yet). */
const repeatSlot = (elapsedMs: number, intervalMs: number) => Math.floor((Math.floor(elapsedMs / intervalMs) * intervalMs) / 60_000);

function row(anomalyId: string, transition: 'firing' | 'resolved', repeat: number, destinationIds: string[], ev: AlertEvidence, nowMs: number): NotificationRow {
  const id = notificationId(anomalyId, transition, repeat);
  const payload: AlertNotification = { id, transition, created_at: new Date(nowMs).toISOString(), public_url: ev.anomaly_url.replace(/\/anomalies\/[^/]*$/, ''), anomalies: [ev] };
  return { id, anomaly_id: anomalyId, transition, repeat, destination_ids: destinationIds, payload: JSON.stringify(payload), created_ms: nowMs };
}
