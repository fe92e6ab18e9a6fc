import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, judgeAttempt, retryAfterMs } from './retry';
import type { AttemptResult } from './send';

const res = (status: number | null, extra: Partial<AttemptResult> = {}): AttemptResult => ({ status, retryAfter: null, latencyMs: 5, body: '', error: null, ...extra });
const ctx = { attempt: 1, firstAttemptMs: 0, nowMs: 0 };
const mid = () => 0.5;

describe('judgeAttempt', () => {
  it('2xx is delivered', () => {
    expect(judgeAttempt(res(200), ctx)).toEqual({ kind: 'delivered' });
    expect(judgeAttempt(res(202), ctx)).toEqual({ kind: 'delivered' });
  });

  it('5xx, 429, timeouts and network errors are retried with exponential backoff', () => {
    expect(judgeAttempt(res(500), ctx, DEFAULT_RETRY, mid)).toMatchObject({ kind: 'retry', delayMs: 5_000 });
    expect(judgeAttempt(res(503), { ...ctx, attempt: 2 }, DEFAULT_RETRY, mid)).toMatchObject({ kind: 'retry', delayMs: 15_000 });
    expect(judgeAttempt(res(429), { ...ctx, attempt: 3 }, DEFAULT_RETRY, mid)).toMatchObject({ kind: 'retry', delayMs: 45_000 });
    expect(judgeAttempt(res(null, { error: 'timed out after 10000 ms' }), { ...ctx, attempt: 20 }, DEFAULT_RETRY, mid)).toMatchObject({
      kind: 'retry', delayMs: 3_600_000, reason: 'timed out after 10000 ms',
    });
  });

  it('jitters by ±20%', () => {
    expect(judgeAttempt(res(500), ctx, DEFAULT_RETRY, () => 0)).toMatchObject({ delayMs: 4_000 });
    expect(judgeAttempt(res(500), ctx, DEFAULT_RETRY, () => 0.999999)).toMatchObject({ delayMs: 6_000 });
  });

  it('honours Retry-After (capped at an hour)', () => {
    expect(judgeAttempt(res(429, { retryAfter: '7' }), ctx, DEFAULT_RETRY, mid)).toMatchObject({ kind: 'retry', delayMs: 7_000 });
    expect(judgeAttempt(res(503, { retryAfter: '86400' }), ctx, DEFAULT_RETRY, mid)).toMatchObject({ kind: 'retry', delayMs: 3_600_000 });
  });

  it('other 4xx, redirects and refused addresses fail at once', () => {
    expect(judgeAttempt(res(400, { body: 'invalid_payload' }), ctx)).toEqual({ kind: 'failed', reason: 'HTTP 400: invalid_payload (not retried)' });
    expect(judgeAttempt(res(410), ctx)).toMatchObject({ kind: 'failed' });
    expect(judgeAttempt(res(302, { error: 'redirect to elsewhere not followed (HTTP 302)' }), ctx)).toMatchObject({ kind: 'failed' });
    expect(judgeAttempt(res(null, { error: 'refused', blocked: true }), ctx)).toEqual({ kind: 'failed', reason: 'refused' });
  });

  it('gives up once the next attempt would start after the retry period', () => {
    const day = DEFAULT_RETRY.horizonMs;
    expect(judgeAttempt(res(500), { attempt: 30, firstAttemptMs: 0, nowMs: day - 1_000 }, DEFAULT_RETRY, mid)).toMatchObject({
      kind: 'failed', reason: 'HTTP 500; gave up after 30 attempts',
    });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:30 GMT', 10_000)).toBe(20_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});
