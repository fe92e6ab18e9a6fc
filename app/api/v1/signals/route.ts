import { SignalsQuerySchema } from '@/lib/domain/api';
import { getSignals } from '@/lib/server/clickhouse/signals';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return respond((rt) => getSignals(rt.db, queryOf(req, SignalsQuerySchema), req.signal));
}
