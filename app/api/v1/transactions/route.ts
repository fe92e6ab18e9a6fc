import { TransactionListQuerySchema } from '@/lib/domain/api';
import { listFlaggedTransactions } from '@/lib/server/clickhouse/transactions';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return respond((rt) => listFlaggedTransactions(rt.db, queryOf(req, TransactionListQuerySchema), req.signal));
}
