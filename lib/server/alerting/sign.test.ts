import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { generateSecret, signatureHeader, standardWebhookHeaders } from './sign';

// The composed example of ../shared/CONVENTIONS.md §1, cross-checked there with Node crypto.
const SECRET = 'whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=';
const BODY =
  '{"type":"anomaly.opened","timestamp":"2026-01-01T00:00:00Z","data":{"anomaly_id":"anm_7f3c","kind":"duplicate_rate","service":"payments-api","environment":"production","value":0.042,"baseline":0.003,"zscore":7.9}}';

describe('Standard Webhooks signer', () => {
  it('matches the test vector byte for byte', () => {
    expect(Buffer.byteLength(BODY)).toBe(213);
    expect(signatureHeader(SECRET, 'msg_01J9TXN3Q8ZK2W7R5VB6C4D0EF', 1767225600, BODY)).toBe('v1,yvJpv7BghfsRhAEuHANslGTMO1JipqWqejyDYh2mL2Q=');
  });

  it('is accepted by the reference library, and a changed byte is not', () => {
    const secret = generateSecret();
    const now = Date.now();
    const headers = standardWebhookHeaders(secret, 'ntf_abc', BODY, now);
    expect(new Webhook(secret).verify(BODY, headers)).toMatchObject({ type: 'anomaly.opened' });
    expect(() => new Webhook(secret).verify(BODY.replace('0.042', '0.043'), headers)).toThrow();
    expect(() => new Webhook(generateSecret()).verify(BODY, headers)).toThrow();
  });

  it('generates 32-byte whsec_ secrets, different each time', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});
