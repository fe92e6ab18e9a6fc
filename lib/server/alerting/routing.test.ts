import { describe, expect, it } from 'vitest';
import type { Rule } from '@/lib/domain/alerting';
import { sampleEvidence } from '@/lib/domain/alerting-payload';
import { groupWaitMs, repeatIntervals, routeEpisode } from './routing';

const e = sampleEvidence('http://ui'); // duplicate_execution on payments, tx_type payment, score 0.93
const rule = (over: Partial<Rule>): Rule => ({
  id: 'r', name: 'r', source: 'api', match: { signal: null, service: null, tx_type: null, min_score: null }, destination_ids: ['pd'],
  muted_until: null, group_wait_ms: 0, repeat_interval_ms: null, enabled: true, created_at: '', updated_at: '', ...over,
});
const dests = [{ id: 'hook', enabled: true }, { id: 'pd', enabled: true }, { id: 'off', enabled: false }, { id: 'slack', enabled: true }];
const NOW = Date.parse('2026-06-01T00:00:00Z');

describe('routeEpisode', () => {
  it('sends to every enabled destination when there are no rules', () => {
    expect(routeEpisode([], dests, e, NOW)).toEqual(['hook', 'pd', 'slack']);
  });

  it('a destination named by a rule only gets what that rule matches', () => {
    const r = rule({ match: { signal: 'ordering', service: null, tx_type: null, min_score: null } });
    expect(routeEpisode([r], dests, e, NOW)).toEqual(['hook', 'slack']);
    const hit = rule({ match: { signal: 'duplicate_execution', service: 'payments', tx_type: 'payment', min_score: 0.9 } });
    expect(routeEpisode([r, hit], dests, e, NOW)).toEqual(['hook', 'pd', 'slack']);
  });

  it('respects min_score, tx_type, disabled rules and mutes', () => {
    expect(routeEpisode([rule({ match: { signal: null, service: null, tx_type: null, min_score: 0.95 } })], dests, e, NOW)).not.toContain('pd');
    expect(routeEpisode([rule({ match: { signal: null, service: null, tx_type: 'order', min_score: null } })], dests, e, NOW)).not.toContain('pd');
    expect(routeEpisode([rule({ enabled: false })], dests, e, NOW)).not.toContain('pd');
    expect(routeEpisode([rule({ muted_until: '2026-06-01T01:00:00Z' })], dests, e, NOW)).not.toContain('pd');
    expect(routeEpisode([rule({ muted_until: '2026-05-31T23:00:00Z' })], dests, e, NOW)).toContain('pd');
  });

  it('never sends to a disabled destination, even when a rule names it', () => {
    expect(routeEpisode([rule({ destination_ids: ['off'] })], dests, e, NOW)).toEqual(['hook', 'pd', 'slack']);
  });
});

describe('group wait and repeat', () => {
  it('takes the longest group wait and the shortest repeat interval', () => {
    const rules = [rule({ group_wait_ms: 10_000 }), rule({ group_wait_ms: 30_000, repeat_interval_ms: 3_600_000 }), rule({ repeat_interval_ms: 600_000 })];
    expect(groupWaitMs(rules, 'pd')).toBe(30_000);
    expect(groupWaitMs(rules, 'hook')).toBe(0);
    expect(repeatIntervals(rules, e, ['pd'], NOW)).toEqual(new Map([['pd', 600_000]]));
    expect(repeatIntervals(rules, e, ['hook'], NOW)).toEqual(new Map());
  });
});
