import { respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** The transaction models configured in TXDRIFT_CONFIG, per tx_type (settle_after in ms). */
export async function GET(): Promise<Response> {
  return respond(async (rt) => ({ models: rt.config.models, max_clock_skew_ms: rt.config.max_clock_skew }));
}
