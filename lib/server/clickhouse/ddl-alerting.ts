// DDL of the alerting tables (destinations, rules, notifications, deliveries, claims), in
// the same TableSpec form as ddl.ts so both layouts (single node, cluster) come from one
// description. Pure string building.
import type { TableSpec } from './ddl';

/**
 * Alerting configuration made through the API: destinations and rules, one row per change,
 * the highest version wins; a deletion is a row with deleted = 1. The spec is JSON (its
 * shape is the zod schema's, secrets included: they are needed to sign and send, and the
 * API never returns them). Sharded by id, so every version of one id meets on one shard and
 * FINAL through the Distributed table returns each id once.
 */
export function alertConfigTable(name: 'alert_destinations' | 'alert_rules'): TableSpec {
  return {
    name,
    columns: [
      `id String`,
      `version UInt64`,
      `spec String CODEC(ZSTD(1))`,
      `deleted UInt8`,
      `created_at DateTime64(3, 'UTC')`,
      `updated_at DateTime64(3, 'UTC')`,
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'id',
    shardBy: 'cityHash64(id)',
  };
}

/**
 * Notifications: one row per (episode, transition[, repeat]) with a stable id, so writing
 * the same transition twice (two workers, a restart) collapses into one row. The payload is
 * the evidence as first seen, so every retry sends the same content.
 */
export function alertNotificationsTable(): TableSpec {
  return {
    name: 'alert_notifications',
    columns: [
      `id String`,
      `anomaly_id String`,
      `transition LowCardinality(String)`,
      `repeat UInt32`,
      `destination_ids Array(String)`,
      `payload String CODEC(ZSTD(1))`,
      `created_at DateTime64(3, 'UTC')`,
    ],
    engine: 'ReplacingMergeTree',
    orderBy: 'id',
    ttl: 'toDateTime(created_at) + INTERVAL 90 DAY',
    shardBy: 'cityHash64(id)',
  };
}

/** The delivery log and the outbox state: one row per attempt (id = hash of notification, destination, attempt). */
export function alertDeliveriesTable(): TableSpec {
  return {
    name: 'alert_deliveries',
    columns: [
      `id String`,
      `notification_id String`,
      `batch_id String`,
      `anomaly_ids Array(String)`,
      `destination_id String`,
      `transition LowCardinality(String)`,
      `attempt UInt32`,
      `status Enum8('delivered' = 1, 'failed' = 2, 'retrying' = 3)`,
      `http_status Nullable(UInt16)`,
      `latency_ms Nullable(UInt32)`,
      `error String`,
      `at DateTime64(3, 'UTC')`,
      `first_attempt_at DateTime64(3, 'UTC')`,
      `next_attempt_at Nullable(DateTime64(3, 'UTC'))`,
    ],
    engine: 'ReplacingMergeTree',
    orderBy: 'id',
    ttl: 'toDateTime(at) + INTERVAL 90 DAY',
    shardBy: 'cityHash64(notification_id)',
  };
}

/**
 * Claims of a delivery attempt by a worker. Several workers may insert a claim for the same
 * (notification, destination, attempt); the earliest by the engine's clock (then token)
 * wins, and each claimer reads back before sending, so only the winner sends.
 */
export function alertClaimsTable(): TableSpec {
  return {
    name: 'alert_claims',
    columns: [
      `notification_id String`,
      `destination_id String`,
      `attempt UInt32`,
      `token String`,
      `owner String`,
      `claimed_at DateTime64(6, 'UTC') DEFAULT now64(6)`,
    ],
    engine: 'MergeTree',
    orderBy: '(notification_id, destination_id, attempt)',
    ttl: 'toDateTime(claimed_at) + INTERVAL 7 DAY',
    shardBy: 'cityHash64(notification_id)',
  };
}
