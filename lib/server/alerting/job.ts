// The alerting worker job: every second, turn new episode transitions into notifications,
// then send what the outbox has due. Registered in lib/server/worker.ts.
import 'server-only';
import type { Runtime } from '../runtime';
import type { Job } from '../worker';
import { randomId } from './ids';
import { recordTransitions } from './lifecycle';
import { defaultOutboxOptions, dispatchDue, type OutboxOptions } from './outbox';

/** This process as a claimer of delivery attempts. */
const PROCESS_OWNER = randomId('clm');

export const ALERTING_INTERVAL_MS = 1_000;

export function outboxOptions(rt: Runtime, overrides: Partial<OutboxOptions> = {}): OutboxOptions {
  return { ...defaultOutboxOptions(rt.env.TXDRIFT_ALLOW_PRIVATE_WEBHOOKS === '1', PROCESS_OWNER), ...overrides };
}

/** One round: record transitions, then deliver. */
export async function runAlerting(rt: Runtime, o: OutboxOptions = outboxOptions(rt), nowMs?: number): Promise<{ notifications: number; attempts: number }> {
  const notifications = await recordTransitions(rt, nowMs);
  const attempts = await dispatchDue(rt, o, nowMs);
  return { notifications, attempts };
}

export function alertingJob(): Job {
  return {
    name: 'alerting',
    intervalMs: ALERTING_INTERVAL_MS,
    run: async (rt, signal) => {
      await runAlerting(rt, outboxOptions(rt, { signal }));
    },
  };
}
