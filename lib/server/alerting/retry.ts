// What to do after one attempt: delivered (2xx), retry later (timeouts, network errors, 5xx,
// 429) with exponential backoff and jitter or the receiver's Retry-After, or give up (other
// 4xx, redirects, an address the SSRF guard refused, or the retry period is over). Pure.
import type { AttemptResult } from './send';

export interface RetryPolicy {
  /** Delay before the second attempt; each later one is `factor` times longer, up to capMs. */
  baseMs: number;
  factor: number;
  capMs: number;
  /** No attempt starts later than this after the first one. */
  horizonMs: number;
  /** Longest Retry-After honoured. */
  maxRetryAfterMs: number;
}

/** 5 s, 15 s, 45 s, 2¼ min, 6¾ min, 20 min, then hourly, for up to 24 h (each ±20%). */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, factor: 3, capMs: 3_600_000, horizonMs: 86_400_000, maxRetryAfterMs: 3_600_000 };

export type Outcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'failed'; reason: string };

export function judgeAttempt(
  r: AttemptResult,
  ctx: { attempt: number; firstAttemptMs: number; nowMs: number },
  policy: RetryPolicy = DEFAULT_RETRY,
  random: () => number = Math.random,
): Outcome {
  const s = r.status;
  if (s !== null && s >= 200 && s < 300) return { kind: 'delivered' };
  const reason = describe(r);
  if (r.blocked) return { kind: 'failed', reason };
  if (s !== null && s < 500 && s !== 429) return { kind: 'failed', reason: `${reason} (not retried)` };
  const backoff = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, ctx.attempt - 1)) * (0.8 + 0.4 * random());
  const asked = retryAfterMs(r.retryAfter, ctx.nowMs);
  const delayMs = Math.round(asked === null ? backoff : Math.min(asked, policy.maxRetryAfterMs));
  if (ctx.nowMs + delayMs - ctx.firstAttemptMs > policy.horizonMs) {
    return { kind: 'failed', reason: `${reason}; gave up after ${ctx.attempt} attempts` };
  }
  return { kind: 'retry', delayMs, reason };
}

/** Retry-After as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

function describe(r: AttemptResult): string {
  if (r.error && r.status === null) return r.error;
  const body = r.body.trim().replace(/\s+/g, ' ').slice(0, 200);
  return `HTTP ${r.status}${body ? `: ${body}` : ''}${r.error ? ` (${r.error})` : ''}`;
}
