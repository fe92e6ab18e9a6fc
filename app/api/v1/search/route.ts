import { SearchQuerySchema } from '@/lib/domain/api';
import { searchTransactions } from '@/lib/server/clickhouse/search';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Transactions whose id, any event id or any idempotency key equals `q`. */
export async function GET(req: Request): Promise<Response> {
  return respond((rt) => searchTransactions(rt.db, queryOf(req, SearchQuerySchema), req.signal));
}
