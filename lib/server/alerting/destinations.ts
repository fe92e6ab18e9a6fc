// Destinations: those made through the API (stored in ClickHouse, secrets included but never
// returned after creation) and those declared in TXDRIFT_CONFIG (secrets named by
// environment variable). Redaction of URLs and keys for every answer lives here too.
import 'server-only';
import type { Destination, DestinationCreate, DestinationType, DestinationUpdate } from '@/lib/domain/alerting';
import { getSpec, listSpecs, putSpec } from '../clickhouse/alerting-config';
import type { Db } from '../clickhouse/client';
import type { lastDeliveries } from '../clickhouse/alerting-outbox';
import type { Runtime } from '../runtime';
import type { TxdriftConfig } from '@/lib/domain/config';

export interface DestinationSpec {
  name: string;
  type: DestinationType;
  url: string;
  enabled: boolean;
  routing_key: string | null;
  template: string | null;
  headers: Record<string, string>;
  /** whsec_… for type webhook. */
  secret: string | null;
}

export interface ResolvedDestination extends DestinationSpec {
  id: string;
  source: 'api' | 'config';
  created_at: string;
  updated_at: string;
  /** Why this destination cannot send (e.g. a config secret's environment variable is unset). */
  problem: string | null;
}

export function specFromCreate(d: DestinationCreate, secret: string | null): DestinationSpec {
  return { name: d.name, type: d.type, url: d.url, enabled: d.enabled, routing_key: d.routing_key ?? null, template: d.template ?? null, headers: d.headers ?? {}, secret };
}

export function applyUpdate(s: DestinationSpec, u: DestinationUpdate): DestinationSpec {
  return {
    ...s,
    ...(u.name !== undefined && { name: u.name }),
    ...(u.url !== undefined && { url: u.url }),
    ...(u.enabled !== undefined && { enabled: u.enabled }),
    ...(u.routing_key !== undefined && { routing_key: u.routing_key }),
    ...(u.template !== undefined && { template: u.template }),
    ...(u.headers !== undefined && { headers: u.headers }),
  };
}

const CONFIG_TIME = new Date(0).toISOString();

/** Destinations declared in TXDRIFT_CONFIG, with their secrets read from the environment now. */
export function configDestinations(config: TxdriftConfig, env: Record<string, string | undefined> = process.env): ResolvedDestination[] {
  return config.alerting.destinations.map((d) => {
    const missing = [d.url_env, d.secret_env, d.routing_key_env].filter((v): v is string => !!v && !env[v]);
    const url = (d.url_env ? env[d.url_env] : d.url) ?? (d.type === 'pagerduty' ? 'https://events.pagerduty.com/v2/enqueue' : '');
    const problem = missing.length ? `environment variable ${missing.join(', ')} is not set` : url ? null : 'no url or url_env';
    return {
      id: d.id,
      source: 'config' as const,
      name: d.name,
      type: d.type,
      url,
      enabled: d.enabled,
      routing_key: d.routing_key_env ? (env[d.routing_key_env] ?? null) : null,
      template: d.template ?? null,
      headers: d.headers ?? {},
      secret: d.secret_env ? (env[d.secret_env] ?? null) : null,
      created_at: CONFIG_TIME,
      updated_at: CONFIG_TIME,
      problem,
    };
  });
}

export async function allDestinations(rt: Pick<Runtime, 'db' | 'config'>, withDeleted = false): Promise<ResolvedDestination[]> {
  const stored = await listSpecs<DestinationSpec>(rt.db, 'alert_destinations', withDeleted);
  return [...configDestinations(rt.config), ...stored.map((s) => ({ ...s.spec, id: s.id, source: 'api' as const, created_at: s.created_at, updated_at: s.updated_at, problem: s.deleted ? 'deleted' : null }))];
}

export async function storedDestination(db: Db, id: string): Promise<{ spec: DestinationSpec; created_at: string } | null> {
  const s = await getSpec<DestinationSpec>(db, 'alert_destinations', id);
  return s && { spec: s.spec, created_at: s.created_at };
}

export async function saveDestination(db: Db, id: string, spec: DestinationSpec, createdAtMs: number, deleted = false): Promise<void> {
  await putSpec(db, 'alert_destinations', { id, spec, deleted, createdAtMs });
}

/**
 * Query strings and paths often hold credentials (Slack, Teams and Discord put the token in
 * the path): show the origin and the first path segment, enough to recognise the URL.
 */
export function redactUrl(type: DestinationType, url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(invalid URL)';
  }
  const [first, second] = u.pathname.split('/').filter(Boolean);
  const head = first === undefined ? '' : `/${first.length > 24 ? `${first.slice(0, 12)}…` : first}`;
  // Slack's team id (T…) helps tell two workspaces apart and is not the secret part.
  const slackTeam = type === 'slack' && second ? `/${second.slice(0, 3)}…` : '';
  const more = second !== undefined ? `${slackTeam}/…` : '';
  return `${u.origin}${head}${more}${u.search ? '?…' : ''}`;
}

export function toApiDestination(d: ResolvedDestination, last: Awaited<ReturnType<typeof lastDeliveries>>): Destination & Record<string, unknown> {
  const l = last.get(d.id);
  return {
    id: d.id,
    name: d.name,
    type: d.type,
    source: d.source,
    url_redacted: redactUrl(d.type, d.url),
    enabled: d.enabled,
    has_template: d.template !== null,
    header_names: Object.keys(d.headers),
    ...(d.type === 'pagerduty' && { routing_key_redacted: d.routing_key ? `${d.routing_key.slice(0, 4)}…` : null }),
    ...(d.problem && d.problem !== 'deleted' && { problem: d.problem }),
    created_at: d.created_at,
    updated_at: d.updated_at,
    last_delivery: l ? { status: l.status, at: new Date(l.at_ms).toISOString(), http_status: l.http_status } : null,
  };
}
