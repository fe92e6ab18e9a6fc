// Stable ids of the alerting records. A notification's id is a hash of (episode,
// transition, repeat number), so every worker and every restart derives the same id for the
// same transition: it is the unit of idempotency (the notification row collapses on it, the
// receivers dedupe on it as webhook-id / Idempotency-Key). Depends on node:crypto only.
import { createHash, randomBytes } from 'node:crypto';

const hash = (...parts: (string | number)[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);

/** `repeat`: 0 for the transition itself, else the minute (after it) a repeat fell due. */
export const notificationId = (anomalyId: string, transition: 'firing' | 'resolved', repeat = 0): string =>
  `ntf_${hash(anomalyId, transition, repeat)}`;

/** The id of a notification sent to a destination as one batch of several notifications. */
export const batchId = (notificationIds: string[]): string =>
  notificationIds.length === 1 ? notificationIds[0]! : `ntf_${hash('batch', ...[...notificationIds].sort())}`;

/** One row per (notification, destination, attempt number). */
export const deliveryId = (notificationId: string, destinationId: string, attempt: number): string =>
  `dlv_${hash(notificationId, destinationId, attempt)}`;

export const randomId = (prefix: 'dst' | 'rul' | 'ntf' | 'clm'): string => `${prefix}_${randomBytes(10).toString('hex')}`;

/** Alertmanager-style fingerprint of a label set: 16 hex characters. */
export const fingerprint = (labels: Record<string, string>): string =>
  createHash('sha256')
    .update(Object.keys(labels).sort().map((k) => `${k}\u0000${labels[k]}`).join('\u0001'))
    .digest('hex')
    .slice(0, 16);
