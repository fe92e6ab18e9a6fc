// One delivery attempt of a notification to one destination: render the receiver's format,
// sign generic webhooks (Standard Webhooks), add the Idempotency-Key and the destination's
// own headers, POST each body (PagerDuty: one per episode) and stop at the first failure.
import 'server-only';
import type { AlertNotification } from '@/lib/domain/alerting-payload';
import type { ResolvedDestination } from './destinations';
import { renderBodies } from './formats';
import { postJson, type AttemptResult, type SendOptions } from './send';
import { standardWebhookHeaders } from './sign';

export async function deliverOnce(d: ResolvedDestination, n: AlertNotification, o: SendOptions): Promise<AttemptResult> {
  if (d.problem) return { status: null, retryAfter: null, latencyMs: 0, body: '', error: d.problem, blocked: true };
  const bodies = renderBodies(d, n);
  let last: AttemptResult = { status: null, retryAfter: null, latencyMs: 0, body: '', error: 'nothing to send' };
  let latencyMs = 0;
  for (const body of bodies) {
    const headers: Record<string, string> = { ...d.headers, 'idempotency-key': n.id };
    if (d.type === 'webhook' && d.secret) Object.assign(headers, standardWebhookHeaders(d.secret, n.id, body, Date.now()));
    last = await postJson(d.url, body, headers, o);
    latencyMs += last.latencyMs;
    if (last.status === null || last.status < 200 || last.status >= 300) break;
  }
  return { ...last, latencyMs };
}
