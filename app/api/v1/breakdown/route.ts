import { BreakdownQuerySchema } from '@/lib/domain/api';
import { getServiceBreakdown } from '@/lib/server/clickhouse/breakdown';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Per-service events, transactions and flag rates over [from, to). */
export async function GET(req: Request): Promise<Response> {
  return respond((rt) => getServiceBreakdown(rt.db, queryOf(req, BreakdownQuerySchema), req.signal));
}
