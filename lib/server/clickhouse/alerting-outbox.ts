// SQL for the alerting outbox: notifications (one per episode transition), the work still
// due (per notification × destination, from the last recorded attempt), claims of an attempt
// by a worker, and the delivery log.
import 'server-only';
import type { DeliveryStatus } from '@/lib/domain/alerting';
import type { Db } from './client';

type Num = number | string;
const insertSettings = (db: Db) => ({ insert_deduplicate: 0, ...(db.cluster && { distributed_foreground_insert: 1 }) });

async function insertRows(db: Db, table: string, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertRaw({ table, format: 'JSONEachRow', body: Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`), settings: insertSettings(db) });
}

export interface NotificationRow {
  id: string;
  anomaly_id: string;
  transition: 'firing' | 'resolved';
  repeat: number;
  destination_ids: string[];
  /** AlertNotification as JSON. */
  payload: string;
  created_ms: number;
}

export async function insertNotifications(db: Db, rows: NotificationRow[]): Promise<void> {
  await insertRows(db, 'alert_notifications', rows.map(({ created_ms, ...r }) => ({ ...r, created_at: created_ms })));
}

const NOTIFICATION_COLUMNS = `id, anomaly_id, transition, repeat, destination_ids, payload, toUnixTimestamp64Milli(created_at) AS created_ms`;
const toNotification = (r: NotificationRow & { repeat: Num; created_ms: Num }): NotificationRow => ({ ...r, repeat: Number(r.repeat), created_ms: Number(r.created_ms) });

/** Notifications already written for these episodes. */
export async function notificationsOf(db: Db, anomalyIds: string[]): Promise<NotificationRow[]> {
  if (anomalyIds.length === 0) return [];
  const rows = await db.query<NotificationRow & { repeat: Num; created_ms: Num }>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM alert_notifications FINAL WHERE anomaly_id IN {ids:Array(String)} ORDER BY created_at, id`,
    { ids: anomalyIds },
  );
  return rows.map(toNotification);
}

export async function notificationsById(db: Db, ids: string[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<NotificationRow & { repeat: Num; created_ms: Num }>(`SELECT ${NOTIFICATION_COLUMNS} FROM alert_notifications FINAL WHERE id IN {ids:Array(String)}`, { ids });
  return rows.map(toNotification);
}

export interface DueItem {
  notification_id: string;
  anomaly_id: string;
  transition: 'firing' | 'resolved';
  destination_id: string;
  created_ms: number;
  /** Attempts recorded so far. */
  attempts: number;
  first_attempt_ms: number | null;
  /** The batch the last attempt belonged to ('' before the first). */
  last_batch_id: string;
}

/**
 * (notification, destination) pairs with nothing recorded yet, or whose last attempt asked
 * for a retry that is now due; notifications of the last two days, oldest first.
 */
export async function dueItems(db: Db, nowMs: number): Promise<DueItem[]> {
  const rows = await db.query<{ notification_id: string; anomaly_id: string; transition: 'firing' | 'resolved'; destination_id: string; created_ms: Num; attempts: Num; first_ms: Num; last_batch_id: string }>(
    `SELECT n.id AS notification_id, n.anomaly_id AS anomaly_id, n.transition AS transition, n.destination_id AS destination_id,
            n.created_ms AS created_ms, s.attempts AS attempts, s.first_ms AS first_ms, s.last_batch_id AS last_batch_id
     FROM
     (
       SELECT id, anomaly_id, transition, arrayJoin(destination_ids) AS destination_id, toUnixTimestamp64Milli(created_at) AS created_ms
       FROM alert_notifications FINAL
       WHERE created_at >= fromUnixTimestamp64Milli({now:Int64}, 'UTC') - INTERVAL 2 DAY
     ) AS n
     LEFT JOIN
     (
       SELECT notification_id, destination_id, max(attempt) AS attempts, toString(argMax(status, attempt)) AS last_status,
              argMax(toUnixTimestamp64Milli(ifNull(next_attempt_at, at)), attempt) AS next_ms, min(toUnixTimestamp64Milli(first_attempt_at)) AS first_ms,
              argMax(batch_id, attempt) AS last_batch_id
       FROM alert_deliveries FINAL
       WHERE at >= fromUnixTimestamp64Milli({now:Int64}, 'UTC') - INTERVAL 3 DAY AND transition != 'test'
       GROUP BY notification_id, destination_id
     ) AS s ON s.notification_id = n.id AND s.destination_id = n.destination_id
     WHERE s.attempts = 0 OR (s.last_status = 'retrying' AND s.next_ms <= {now:Int64})
     ORDER BY n.created_ms, n.id`,
    { now: nowMs },
  );
  return rows.map((r) => ({
    notification_id: r.notification_id,
    anomaly_id: r.anomaly_id,
    transition: r.transition,
    destination_id: r.destination_id,
    created_ms: Number(r.created_ms),
    attempts: Number(r.attempts),
    first_attempt_ms: Number(r.attempts) === 0 ? null : Number(r.first_ms),
    last_batch_id: r.last_batch_id,
  }));
}

/** Firing notifications not yet finished (delivered or failed) for these destinations: a resolved one waits for them. */
export async function unfinished(db: Db, notificationIds: string[]): Promise<Set<string>> {
  if (notificationIds.length === 0) return new Set();
  const rows = await db.query<{ key: string }>(
    `SELECT concat(n.id, '/', n.destination_id) AS key
     FROM (SELECT id, arrayJoin(destination_ids) AS destination_id FROM alert_notifications FINAL WHERE id IN {ids:Array(String)}) AS n
     LEFT JOIN
     (
       SELECT notification_id, destination_id, toString(argMax(status, attempt)) AS last_status FROM alert_deliveries FINAL
       WHERE notification_id IN {ids:Array(String)} GROUP BY notification_id, destination_id
     ) AS s ON s.notification_id = n.id AND s.destination_id = n.destination_id
     WHERE s.last_status NOT IN ('delivered', 'failed')`,
    { ids: notificationIds },
  );
  return new Set(rows.map((r) => r.key));
}

export interface Claim {
  notification_id: string;
  destination_id: string;
  attempt: number;
  token: string;
  owner: string;
}

export async function deliveryExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.query<{ n: Num }>(`SELECT count() AS n FROM alert_deliveries WHERE id = {id:String}`, { id });
  return Number(row?.n ?? 0) > 0;
}

/** Writes a claim and answers the winning claim of that attempt (the earliest; ties by token). */
export async function claim(db: Db, c: Claim): Promise<{ token: string; owner: string; age_ms: number }> {
  await insertRows(db, 'alert_claims', [c]);
  const [winner] = await db.query<{ win_token: string; win_owner: string; age_ms: Num }>(
    `SELECT argMin(token, (claimed_at, token)) AS win_token, argMin(owner, (claimed_at, token)) AS win_owner,
            toUnixTimestamp64Milli(now64(3)) - toUnixTimestamp64Milli(min(claimed_at)) AS age_ms
     FROM alert_claims
     WHERE notification_id = {n:String} AND destination_id = {d:String} AND attempt = {a:UInt32}`,
    { n: c.notification_id, d: c.destination_id, a: c.attempt },
  );
  return { token: winner?.win_token ?? '', owner: winner?.win_owner ?? '', age_ms: Number(winner?.age_ms ?? 0) };
}

export interface DeliveryRow {
  id: string;
  notification_id: string;
  batch_id: string;
  anomaly_ids: string[];
  destination_id: string;
  transition: 'firing' | 'resolved' | 'test';
  attempt: number;
  status: DeliveryStatus;
  http_status: number | null;
  latency_ms: number | null;
  error: string;
  at_ms: number;
  first_attempt_ms: number;
  next_attempt_ms: number | null;
}

export async function insertDeliveries(db: Db, rows: DeliveryRow[]): Promise<void> {
  await insertRows(
    db,
    'alert_deliveries',
    rows.map(({ at_ms, first_attempt_ms, next_attempt_ms, ...r }) => ({ ...r, at: at_ms, first_attempt_at: first_attempt_ms, next_attempt_at: next_attempt_ms })),
  );
}

export interface DeliveryFilter {
  anomaly_id?: string;
  destination_id?: string;
  notification_id?: string;
  status?: DeliveryStatus;
  from?: number;
  to?: number;
  /** Older than this (at_ms, id). */
  before?: { at_ms: number; id: string };
  limit: number;
}

const DELIVERY_COLUMNS = `id, notification_id, batch_id, anomaly_ids, destination_id, transition, attempt, toString(status) AS status, http_status, latency_ms, error,
  toUnixTimestamp64Milli(at) AS at_ms, toUnixTimestamp64Milli(first_attempt_at) AS first_attempt_ms, toUnixTimestamp64Milli(next_attempt_at) AS next_attempt_ms`;

export async function listDeliveries(db: Db, f: DeliveryFilter, signal?: AbortSignal): Promise<DeliveryRow[]> {
  const where = [
    f.anomaly_id !== undefined && 'has(anomaly_ids, {anomaly_id:String})',
    f.destination_id !== undefined && 'destination_id = {destination_id:String}',
    f.notification_id !== undefined && '(notification_id = {notification_id:String} OR batch_id = {notification_id:String})',
    f.status !== undefined && 'status = {status:String}',
    f.from !== undefined && "at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')",
    f.to !== undefined && "at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')",
    f.before && "(at, id) < (fromUnixTimestamp64Milli({b_at:Int64}, 'UTC'), {b_id:String})",
  ].filter(Boolean);
  const rows = await db.query<DeliveryRow & Record<'attempt' | 'at_ms' | 'first_attempt_ms', Num> & { next_attempt_ms: Num | null; http_status: Num | null; latency_ms: Num | null }>(
    `SELECT ${DELIVERY_COLUMNS} FROM alert_deliveries FINAL ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT {limit:UInt32}`,
    { ...f, b_at: f.before?.at_ms, b_id: f.before?.id },
    signal,
  );
  return rows.map((r) => ({
    ...r,
    attempt: Number(r.attempt),
    http_status: r.http_status === null ? null : Number(r.http_status),
    latency_ms: r.latency_ms === null ? null : Number(r.latency_ms),
    at_ms: Number(r.at_ms),
    first_attempt_ms: Number(r.first_attempt_ms),
    next_attempt_ms: r.next_attempt_ms === null ? null : Number(r.next_attempt_ms),
  }));
}

/** The newest attempt per destination. */
export async function lastDeliveries(db: Db): Promise<Map<string, { status: DeliveryStatus; at_ms: number; http_status: number | null }>> {
  const rows = await db.query<{ destination_id: string; status: DeliveryStatus; at_ms: Num; http_status: Num | null }>(
    `SELECT destination_id, toString(argMax(status, at)) AS status, toUnixTimestamp64Milli(max(at)) AS at_ms, argMax(http_status, at) AS http_status
     FROM alert_deliveries FINAL GROUP BY destination_id`,
  );
  return new Map(rows.map((r) => [r.destination_id, { status: r.status, at_ms: Number(r.at_ms), http_status: r.http_status === null ? null : Number(r.http_status) }]));
}

/** Notifications (newest first) with every attempt for them. */
export async function notificationsWithAttempts(db: Db, anomalyId: string | undefined, limit: number): Promise<{ notifications: NotificationRow[]; attempts: DeliveryRow[] }> {
  const rows = await db.query<NotificationRow & { repeat: Num; created_ms: Num }>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM alert_notifications FINAL ${anomalyId !== undefined ? 'WHERE anomaly_id = {a:String}' : ''} ORDER BY created_at DESC, id DESC LIMIT {limit:UInt32}`,
    { a: anomalyId, limit },
  );
  const notifications = rows.map(toNotification);
  if (notifications.length === 0) return { notifications, attempts: [] };
  const ids = notifications.map((n) => n.id);
  const attempts = await db.query<DeliveryRow & Record<'attempt' | 'at_ms', Num> & { http_status: Num | null }>(
    `SELECT ${DELIVERY_COLUMNS} FROM alert_deliveries FINAL WHERE notification_id IN {ids:Array(String)} ORDER BY attempt`,
    { ids },
  );
  return { notifications, attempts: attempts.map((a) => ({ ...a, attempt: Number(a.attempt), at_ms: Number(a.at_ms), http_status: a.http_status === null ? null : Number(a.http_status) })) };
}
