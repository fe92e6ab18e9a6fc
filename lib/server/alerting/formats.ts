// One notification rendered for each receiver type, within that receiver's limits:
// generic webhook (Standard Webhooks-style envelope, ≤ 20 kB, or the destination's body
// template), Slack incoming webhook (Block Kit, ≤ 50 blocks, section text ≤ 3,000),
// PagerDuty Events v2 (one event per episode, dedup_key = the episode's firing notification
// id so trigger and resolve meet, ≤ 512 KB), Alertmanager webhook payload v4, and
// Alertmanager API v2 postable alerts. Pure apart from hashing.
import { describeEvidence, summaryLine, type AlertEvidence, type AlertNotification } from '@/lib/domain/alerting-payload';
import { renderTemplate } from '@/lib/domain/alerting-template';
import type { DestinationType } from '@/lib/domain/alerting';
import { fingerprint, notificationId } from './ids';

export interface FormatTarget {
  type: DestinationType;
  name: string;
  template: string | null;
  routing_key: string | null;
}

export const WEBHOOK_MAX_BYTES = 20_000;
const PAGERDUTY_MAX_BYTES = 500_000;

/** The request bodies for one notification (PagerDuty sends one event per episode). */
export function renderBodies(t: FormatTarget, n: AlertNotification): string[] {
  switch (t.type) {
    case 'webhook':
      return [t.template ? renderTemplate(t.template, templateContext(n)) : genericBody(n)];
    case 'slack':
      return [JSON.stringify(slackMessage(n))];
    case 'pagerduty':
      return n.anomalies.map((a) => JSON.stringify(pagerDutyEvent(t.routing_key ?? '', n, a)));
    case 'alertmanager':
      return [JSON.stringify(alertmanagerWebhook(t.name, n))];
    case 'alertmanager_api':
      return [JSON.stringify(n.anomalies.map((a) => alertmanagerAlert(n, a)))];
  }
}

export function templateContext(n: AlertNotification): Record<string, unknown> {
  return { ...n, summary: summaryLine(n), anomaly: n.anomalies[0] ?? null };
}

/** `{type, timestamp, data}` as Standard Webhooks recommends; trimmed to stay under 20 kB. */
export function genericBody(n: AlertNotification): string {
  const envelope = (anomalies: AlertEvidence[], truncated = 0) =>
    JSON.stringify({
      type: `anomaly.${n.transition}`,
      timestamp: n.created_at,
      data: { notification_id: n.id, transition: n.transition, summary: summaryLine(n), anomalies, ...(truncated && { truncated_anomalies: truncated }) },
    });
  let body = envelope(n.anomalies);
  if (Buffer.byteLength(body) <= WEBHOOK_MAX_BYTES) return body;
  const slim = n.anomalies.map((a) => ({ ...a, affected_transactions: a.affected_transactions.slice(0, 3), top_attributions: a.top_attributions.slice(0, 3) }));
  for (let k = slim.length; k >= 1; k--) {
    body = envelope(slim.slice(0, k), n.anomalies.length - k);
    if (Buffer.byteLength(body) <= WEBHOOK_MAX_BYTES) return body;
  }
  return body;
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function slackMessage(n: AlertNotification) {
  const shown = n.anomalies.slice(0, 15);
  const icon = n.transition === 'resolved' ? ':white_check_mark:' : n.transition === 'test' ? ':test_tube:' : ':rotating_light:';
  const blocks: object[] = [{ type: 'header', text: { type: 'plain_text', text: clip(`${n.transition.toUpperCase()}: ${headline(n)}`, 150) } }];
  for (const a of shown) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`${icon} ${esc(describeEvidence(a))}\n<${a.anomaly_url}|Open the anomaly in txdrift>`, 3000) },
      fields: [
        ['Signal', a.signal], ['Service', a.service], ['tx_type', a.tx_type ?? '–'], ['Score', a.score.toFixed(2)],
        ['Observed', pct(a.observed_rate)], ['Expected', pct(a.expected_rate)],
      ].map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${k}*\n${esc(v!)}`, 2000) })),
    });
    const txs = a.affected_transactions.map((t) => `<${t.url}|${esc(t.tx_id)}>`).join(' · ');
    if (txs) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`Affected: ${txs}`, 3000) }] });
  }
  if (n.anomalies.length > shown.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${n.anomalies.length - shown.length} more episodes: <${n.public_url}/anomalies|all anomalies>` }] });
  }
  return { text: clip(summaryLine(n), 3000), blocks };
}

function headline(n: AlertNotification): string {
  const [a] = n.anomalies;
  if (!a) return 'txdrift';
  return `${a.signal} on ${a.service}${n.anomalies.length > 1 ? ` and ${n.anomalies.length - 1} more` : ''}`;
}

export function pagerDutyEvent(routingKey: string, n: AlertNotification, a: AlertEvidence) {
  const dedupKey = n.transition === 'test' ? n.id : notificationId(a.anomaly_id, 'firing');
  if (n.transition === 'resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  const event = {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: clip(summaryLine({ ...n, anomalies: [a] }), 1024),
      source: `txdrift/${a.service}`,
      severity: n.transition === 'test' ? 'info' : a.score >= 0.9 ? 'critical' : 'error',
      timestamp: a.window.from,
      component: a.service,
      group: a.tx_type ?? undefined,
      class: a.signal,
      custom_details: { ...a, description: describeEvidence(a) },
    },
    client: 'txdrift',
    client_url: a.anomaly_url,
    links: [{ href: a.anomaly_url, text: 'Anomaly in txdrift' }, ...a.affected_transactions.slice(0, 5).map((t) => ({ href: t.url, text: `Transaction ${t.tx_id}` }))],
  };
  if (Buffer.byteLength(JSON.stringify(event)) > PAGERDUTY_MAX_BYTES) event.payload.custom_details = { ...a, affected_transactions: [], description: '' };
  return event;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

function alertLabels(a: AlertEvidence): Record<string, string> {
  return {
    alertname: 'TxdriftAnomaly',
    source: 'txdrift',
    signal: a.signal,
    service: a.service,
    ...(a.tx_type ? { tx_type: a.tx_type } : {}),
    anomaly_id: a.anomaly_id,
    severity: a.score >= 0.9 ? 'critical' : 'warning',
  };
}

function alertAnnotations(n: AlertNotification, a: AlertEvidence): Record<string, string> {
  return {
    summary: clip(summaryLine({ ...n, anomalies: [a] }), 1024),
    description: describeEvidence(a),
    anomaly_url: a.anomaly_url,
    affected_transactions: a.affected_transactions.map((t) => t.url).join(' '),
  };
}

export function alertmanagerWebhook(receiver: string, n: AlertNotification) {
  const alerts = n.anomalies.map((a) => {
    const labels = alertLabels(a);
    const resolved = n.transition === 'resolved';
    return {
      status: resolved ? 'resolved' : 'firing',
      labels,
      annotations: alertAnnotations(n, a),
      startsAt: a.window.from,
      endsAt: resolved ? (a.resolved_at ?? n.created_at) : ZERO_TIME,
      generatorURL: a.anomaly_url,
      fingerprint: fingerprint(labels),
    };
  });
  const common = Object.fromEntries(Object.entries(alerts[0]?.labels ?? {}).filter(([k, v]) => alerts.every((x) => x.labels[k as keyof typeof x.labels] === v)));
  const ids = n.anomalies.map((a) => a.anomaly_id).sort();
  return {
    version: '4',
    groupKey: `{}/{source="txdrift"}:{anomaly_id=~"${ids.join('|')}"}`,
    truncatedAlerts: 0,
    status: alerts.some((x) => x.status === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels: { alertname: 'TxdriftAnomaly' },
    commonLabels: common,
    commonAnnotations: {},
    externalURL: n.public_url,
    notification_reason: n.transition === 'resolved' ? 'all alerts resolved' : 'first notification',
    alerts,
  };
}

/** A postableAlert for POST /api/v2/alerts; firing alerts end in 4 h unless refreshed or resolved. */
export function alertmanagerAlert(n: AlertNotification, a: AlertEvidence) {
  const resolved = n.transition === 'resolved';
  return {
    labels: alertLabels(a),
    annotations: alertAnnotations(n, a),
    startsAt: a.window.from,
    endsAt: resolved ? (a.resolved_at ?? n.created_at) : new Date(Date.parse(n.created_at) + 4 * 3_600_000).toISOString(),
    generatorURL: a.anomaly_url,
  };
}
