import { describe, expect, it } from 'vitest';
import { sampleEvidence, type AlertEvidence, type AlertNotification } from '@/lib/domain/alerting-payload';
import { renderTemplate, templateProblem } from '@/lib/domain/alerting-template';
import { genericBody, renderBodies, slackMessage, templateContext, WEBHOOK_MAX_BYTES } from './formats';
import { notificationId } from './ids';

const BASE = 'https://txdrift.example.com';
const ev = (i: number, over: Partial<AlertEvidence> = {}): AlertEvidence => ({ ...sampleEvidence(BASE), anomaly_id: `anm_${i}`, anomaly_url: `${BASE}/anomalies/anm_${i}`, ...over });
const note = (anomalies: AlertEvidence[], transition: AlertNotification['transition'] = 'firing'): AlertNotification => ({
  id: 'ntf_1', transition, created_at: '2026-01-01T00:06:00.000Z', public_url: BASE, anomalies,
});
const target = (type: Parameters<typeof renderBodies>[0]['type'], extra: Partial<Parameters<typeof renderBodies>[0]> = {}) => ({ type, name: 'ops', template: null, routing_key: 'KEY', ...extra });

describe('generic webhook', () => {
  it('is a Standard Webhooks envelope with the evidence', () => {
    const body = JSON.parse(genericBody(note([ev(1)])));
    expect(body).toMatchObject({ type: 'anomaly.firing', timestamp: '2026-01-01T00:06:00.000Z', data: { notification_id: 'ntf_1', transition: 'firing' } });
    expect(body.data.summary).toBe('[FIRING] duplicate_execution on payments (payment): 40.0% vs 0.30% expected, score 0.93');
    expect(body.data.anomalies[0].affected_transactions[0]).toEqual({ tx_id: 'test-tx-1', url: `${BASE}/transactions/test-tx-1` });
  });

  it('stays under 20 kB however many episodes and transactions, saying how many were left out', () => {
    const txs = Array.from({ length: 10 }, (_, i) => ({ tx_id: `tx-${'x'.repeat(200)}-${i}`, url: `${BASE}/transactions/${'x'.repeat(200)}-${i}` }));
    const many = Array.from({ length: 40 }, (_, i) => ev(i, { affected_transactions: txs }));
    const body = genericBody(note(many));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(WEBHOOK_MAX_BYTES);
    const parsed = JSON.parse(body);
    expect(parsed.data.anomalies.length + parsed.data.truncated_anomalies).toBe(40);
    expect(parsed.data.anomalies[0].affected_transactions).toHaveLength(3);
  });

  it('renders a body template with JSON-encoded values', () => {
    const [body] = renderBodies(target('webhook', { template: '{"text": {{summary}}, "svc": {{anomaly.service}}, "n": {{anomalies.0.flagged}}, "x": {{nope.deep}}}' }), note([ev(1, { service: 'pay"ments' })]));
    expect(JSON.parse(body!)).toEqual({ text: expect.stringContaining('[FIRING]'), svc: 'pay"ments', n: 40, x: null });
    expect(renderTemplate('{{ a.b }}', { a: { b: [1] } })).toBe('[1]');
    expect(templateProblem('{"a": {{summary}', templateContext(note([ev(1)])))).toMatch(/does not render to valid JSON/);
  });
});

describe('slack', () => {
  it('has fallback text, a header within 150 characters, links back and escapes user text', () => {
    const m = slackMessage(note([ev(1, { service: '<script>&', tx_type: null })]));
    expect(m.text).toMatch(/^\[FIRING\]/);
    const [header, section, context] = m.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    expect(header!.type).toBe('header');
    expect(header!.text!.text.length).toBeLessThanOrEqual(150);
    expect(section!.text!.text).toContain('&lt;script&gt;&amp;');
    expect(section!.text!.text).toContain(`<${BASE}/anomalies/anm_1|Open the anomaly in txdrift>`);
    expect(context!.elements![0]!.text).toContain(`<${BASE}/transactions/test-tx-1|test-tx-1>`);
  });

  it('keeps to 50 blocks and 3,000 characters a section', () => {
    const m = slackMessage(note(Array.from({ length: 60 }, (_, i) => ev(i, { top_attributions: Array.from({ length: 5 }, () => ({ key: 'k'.repeat(900), value: 'v', share: 1, lift: 2 })) }))));
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    for (const b of m.blocks as { text?: { text: string } }[]) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(m.blocks.at(-1))).toContain('45 more episodes');
  });
});

describe('pagerduty', () => {
  it('triggers and resolves with the same dedup_key, one event per episode', () => {
    const firing = renderBodies(target('pagerduty'), note([ev(1), ev(2)])).map((b) => JSON.parse(b));
    expect(firing.map((e) => e.dedup_key)).toEqual([notificationId('anm_1', 'firing'), notificationId('anm_2', 'firing')]);
    expect(firing[0]).toMatchObject({ routing_key: 'KEY', event_action: 'trigger', payload: { severity: 'critical', source: 'txdrift/payments', class: 'duplicate_execution' } });
    expect(firing[0].payload.summary.length).toBeLessThanOrEqual(1024);
    const resolved = renderBodies(target('pagerduty'), note([ev(1)], 'resolved')).map((b) => JSON.parse(b));
    expect(resolved).toEqual([{ routing_key: 'KEY', event_action: 'resolve', dedup_key: notificationId('anm_1', 'firing') }]);
  });
});

describe('alertmanager', () => {
  it('webhook payload v4: firing alerts end at the zero time, resolved ones at their resolution', () => {
    const [firing] = renderBodies(target('alertmanager'), note([ev(1)])).map((b) => JSON.parse(b));
    expect(firing).toMatchObject({ version: '4', status: 'firing', receiver: 'ops', truncatedAlerts: 0, externalURL: BASE, groupLabels: { alertname: 'TxdriftAnomaly' } });
    expect(firing.alerts[0]).toMatchObject({ status: 'firing', endsAt: '0001-01-01T00:00:00Z', startsAt: '2026-01-01T00:00:00.000Z', generatorURL: `${BASE}/anomalies/anm_1` });
    const [resolved] = renderBodies(target('alertmanager'), note([ev(1, { resolved_at: '2026-01-01T00:20:00.000Z', status: 'resolved' })], 'resolved')).map((b) => JSON.parse(b));
    expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', endsAt: '2026-01-01T00:20:00.000Z' });
    expect(resolved.alerts[0].fingerprint).toBe(firing.alerts[0].fingerprint);
  });

  it('API v2: an array of postable alerts with labels and annotations as strings', () => {
    const [alerts] = renderBodies(target('alertmanager_api'), note([ev(1)])).map((b) => JSON.parse(b));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].labels).toMatchObject({ alertname: 'TxdriftAnomaly', signal: 'duplicate_execution', service: 'payments', tx_type: 'payment', anomaly_id: 'anm_1' });
    for (const v of [...Object.values(alerts[0].labels), ...Object.values(alerts[0].annotations)]) expect(typeof v).toBe('string');
    expect(Date.parse(alerts[0].endsAt)).toBeGreaterThan(Date.parse('2026-01-01T00:06:00.000Z'));
  });
});
