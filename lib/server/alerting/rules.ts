// Rules: made through the API (stored in ClickHouse) or declared in TXDRIFT_CONFIG
// (read-only through the API).
import 'server-only';
import type { Rule, RuleCreate, RuleUpdate } from '@/lib/domain/alerting';
import type { TxdriftConfig } from '@/lib/domain/config';
import { getSpec, listSpecs, putSpec } from '../clickhouse/alerting-config';
import type { Db } from '../clickhouse/client';

const CONFIG_TIME = new Date(0).toISOString();

export function configRules(config: TxdriftConfig): Rule[] {
  return config.alerting.rules.map((r) => ({
    id: r.id,
    name: r.name,
    source: 'config' as const,
    match: r.match,
    destination_ids: r.destinations,
    muted_until: r.muted_until,
    group_wait_ms: r.group_wait,
    repeat_interval_ms: r.repeat_interval,
    enabled: r.enabled,
    created_at: CONFIG_TIME,
    updated_at: CONFIG_TIME,
  }));
}

const fromStored = (s: { id: string; spec: RuleCreate; created_at: string; updated_at: string }): Rule => ({
  id: s.id,
  source: 'api',
  ...s.spec,
  muted_until: s.spec.muted_until === null ? null : new Date(s.spec.muted_until).toISOString(),
  created_at: s.created_at,
  updated_at: s.updated_at,
});

export async function allRules(rt: { db: Db; config: TxdriftConfig }): Promise<Rule[]> {
  return [...configRules(rt.config), ...(await listSpecs<RuleCreate>(rt.db, 'alert_rules')).map(fromStored)];
}

export async function storedRule(db: Db, id: string): Promise<Rule | null> {
  const s = await getSpec<RuleCreate>(db, 'alert_rules', id);
  return s && fromStored(s);
}

export async function saveRule(db: Db, id: string, spec: RuleCreate, createdAtMs: number, deleted = false): Promise<void> {
  await putSpec(db, 'alert_rules', { id, spec, deleted, createdAtMs });
}

export function applyRuleUpdate(r: Rule, u: RuleUpdate): RuleCreate {
  return {
    name: u.name ?? r.name,
    match: u.match ?? r.match,
    destination_ids: u.destination_ids ?? r.destination_ids,
    muted_until: u.muted_until !== undefined ? u.muted_until : r.muted_until,
    group_wait_ms: u.group_wait_ms ?? r.group_wait_ms,
    repeat_interval_ms: u.repeat_interval_ms !== undefined ? u.repeat_interval_ms : r.repeat_interval_ms,
    enabled: u.enabled ?? r.enabled,
  };
}
