import { describe, expect, it } from 'vitest';
import { describeIssues, DestinationCreateSchema, PAGERDUTY_EVENTS_URL, RuleCreateSchema } from './alerting';

describe('DestinationCreateSchema', () => {
  it('treats empty form fields as absent, and defaults the PagerDuty URL', () => {
    expect(DestinationCreateSchema.parse({ name: 'pd', type: 'pagerduty', url: '', routing_key: 'KEY' })).toMatchObject({ url: PAGERDUTY_EVENTS_URL, routing_key: 'KEY' });
    expect(DestinationCreateSchema.parse({ name: 'w', type: 'webhook', url: 'https://x.example/h', routing_key: '', template: '' })).toEqual({
      name: 'w', type: 'webhook', url: 'https://x.example/h', enabled: true,
    });
  });

  it('names each problem at its field', () => {
    const header = DestinationCreateSchema.safeParse({ name: 'w', type: 'webhook', url: 'https://x.example/h', headers: { 'webhook-id': 'x', 'x-ok': 'a\nb' } });
    expect(describeIssues(header.error!)).toBe('headers.webhook-id: is set by txdrift and cannot be overridden; headers.x-ok: expected one line');
    const slack = DestinationCreateSchema.safeParse({ name: 'w', type: 'slack', template: '{}', colour: 1 });
    expect(describeIssues(slack.error!)).toBe('colour: unknown field; url: required for type slack; template: only for type webhook');
  });
});

describe('RuleCreateSchema', () => {
  it('fills defaults: match anything, no mute, no group wait, no repeat', () => {
    expect(RuleCreateSchema.parse({ name: 'r', destination_ids: ['dst_1'] })).toEqual({
      name: 'r', destination_ids: ['dst_1'], match: { signal: null, service: null, tx_type: null, min_score: null },
      muted_until: null, group_wait_ms: 0, repeat_interval_ms: null, enabled: true,
    });
  });

  it('refuses a repeat interval under a minute and a rule without destinations', () => {
    expect(RuleCreateSchema.safeParse({ name: 'r', destination_ids: ['d'], repeat_interval_ms: 1000 }).error?.issues[0]?.message).toBe('expected at least 60000 ms (1 minute)');
    expect(RuleCreateSchema.safeParse({ name: 'r', destination_ids: [] }).error?.issues[0]?.message).toBe('expected at least one destination id');
  });
});
