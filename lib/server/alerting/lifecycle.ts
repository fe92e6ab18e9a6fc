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
  const anomalies = await listAnomalies(rt.db, { from: nowMs - LOOKBACK_MS, to: nowMs + 60_000 });
  if (anomalies.length === 0) return 0;
  const existing = new Map((await notificationsOf(rt.db, anomalies.map((a) => a.id))).map((n) => [n.id, n]));
  let context: { rules: Rule[]; destinations: { id: string; enabled: boolean }[] } | null = null;
  const rows: NotificationRow[] = [];
  for (const a of anomalies) {
    const firing = existing.get(notificationId(a.id, 'firing'));
    const resolvedDue = a.status === 'resolved' && !existing.has(notificationId(a.id, 'resolved'));
    const mayRepeat = a.status === 'open' && firing !== undefined;
    if (firing && !resolvedDue && !mayRepeat) continue;
    context ??= { rules: await allRules(rt), destinations: await allDestinations(rt) };
    if (mayRepeat && !hasRepeatRules(context.rules)) continue;
    const ev = await evidenceOf(rt.db, publicUrl(rt.env), a);
    rows.push(...transitionsOf(a, ev, firing, existing, context, nowMs));
  }
  await insertNotifications(rt.db, rows);
  return rows.length;
}

const hasRepeatRules = (rules: Rule[]) => rules.some((r) => r.repeat_interval_ms !== null);

function transitionsOf(
  a: AnomalyRecord,
  ev: AlertEvidence,
  firing: NotificationRow | undefined,
  existing: Map<string, NotificationRow>,
  ctx: { rules: Rule[]; destinations: { id: string; enabled: boolean }[] },
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
  // Repeats of a long-running episode: the n-th once n intervals have passed since the firing one.
  const byRepeat = new Map<number, string[]>();
  for (const [dest, interval] of repeatIntervals(ctx.rules, ev, firing.destination_ids, nowMs)) {
    const n = Math.floor((nowMs - firing.created_ms) / interval);
    if (n >= 1 && !existing.has(notificationId(a.id, 'firing', n))) byRepeat.set(n, [...(byRepeat.get(n) ?? []), dest]);
  }
  for (const [n, dests] of byRepeat) out.push(row(a.id, 'firing', n, dests.sort(), ev, nowMs));
  return out;
}

function row(anomalyId: string, transition: 'firing' | 'resolved', repeat: number, destinationIds: string[], ev: AlertEvidence, nowMs: number): NotificationRow {
  const id = notificationId(anomalyId, transition, repeat);
  const payload: AlertNotification = { id, transition, created_at: new Date(nowMs).toISOString(), public_url: ev.anomaly_url.replace(/\/anomalies\/[^/]*$/, ''), anomalies: [ev] };
  return { id, anomaly_id: anomalyId, transition, repeat, destination_ids: destinationIds, payload: JSON.stringify(payload), created_ms: nowMs };
}
