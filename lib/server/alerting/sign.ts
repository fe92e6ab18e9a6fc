// Standard Webhooks v1 signing (HMAC-SHA256 over "{id}.{timestamp}.{body}", base64, `v1,`
// prefix) and secret generation (`whsec_` + base64 of 32 random bytes). Depends on
// node:crypto only.
import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';

const keyFrom = (secret: string) => Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');

export function signatureHeader(secret: string, id: string, timestampSec: number, rawBody: string): string {
  const mac = createHmac('sha256', keyFrom(secret)).update(`${id}.${timestampSec}.${rawBody}`).digest('base64');
  return `v1,${mac}`;
}

export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The three Standard Webhooks headers for one attempt (the timestamp is the attempt's). */
export function standardWebhookHeaders(secret: string, id: string, rawBody: string, nowMs: number): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signatureHeader(secret, id, ts, rawBody) };
}
