import { SignalBandsQuerySchema } from '@/lib/domain/api';
import { queryOf, respond } from '@/lib/server/route';
import { getSignalBands } from '@/lib/server/signal-bands';

export const dynamic = 'force-dynamic';

/** The signals plus the detector's expected band per bucket and flag. */
export async function GET(req: Request): Promise<Response> {
  return respond((rt) => getSignalBands(rt.db, queryOf(req, SignalBandsQuerySchema), Math.log10(rt.config.detection.threshold), req.signal));
}
