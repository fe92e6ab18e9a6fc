// Which destinations an episode goes to: every enabled destination that no rule names
// ("one call is enough to start receiving alerts"), plus the destinations of every enabled,
// unmuted rule that matches the episode. A destination named by some rule only receives
// what its rules match. Also the group wait and repeat interval per destination. Pure.
import type { Rule } from '@/lib/domain/alerting';
import type { AlertEvidence } from '@/lib/domain/alerting-payload';

export function ruleMatches(rule: Rule, e: AlertEvidence, nowMs: number): boolean {
  if (!rule.enabled) return false;
  if (rule.muted_until && Date.parse(rule.muted_until) > nowMs) return false;
  const m = rule.match;
  return (
    (m.signal === null || m.signal === e.signal) &&
    (m.service === null || m.service === e.service) &&
    (m.tx_type === null || m.tx_type === e.tx_type) &&
    (m.min_score === null || e.score >= m.min_score)
  );
}

export function routeEpisode(rules: Rule[], destinations: { id: string; enabled: boolean }[], e: AlertEvidence, nowMs: number): string[] {
  const named = new Set(rules.flatMap((r) => r.destination_ids));
  const enabled = new Set(destinations.filter((d) => d.enabled).map((d) => d.id));
  const out = new Set(destinations.filter((d) => d.enabled && !named.has(d.id)).map((d) => d.id));
  for (const r of rules) if (ruleMatches(r, e, nowMs)) for (const id of r.destination_ids) if (enabled.has(id)) out.add(id);
  return [...out].sort();
}

/** The longest group wait of the enabled rules naming this destination (0 when none). */
export function groupWaitMs(rules: Rule[], destinationId: string): number {
  return Math.max(0, ...rules.filter((r) => r.enabled && r.destination_ids.includes(destinationId)).map((r) => r.group_wait_ms));
}

/** Destinations to re-notify for a still-open episode, each with the shortest repeat interval of its matching rules. */
export function repeatIntervals(rules: Rule[], e: AlertEvidence, notified: string[], nowMs: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rules) {
    if (r.repeat_interval_ms === null || !ruleMatches(r, e, nowMs)) continue;
    for (const id of r.destination_ids) {
      if (!notified.includes(id)) continue;
      out.set(id, Math.min(out.get(id) ?? Infinity, r.repeat_interval_ms));
    }
  }
  return out;
}
