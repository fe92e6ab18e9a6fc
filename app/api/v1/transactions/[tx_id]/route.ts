import { getTransaction } from '@/lib/server/clickhouse/transactions';
import { respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, ctx: { params: Promise<{ tx_id: string }> }): Promise<Response> {
  const { tx_id } = await ctx.params;
  return respond((rt) => getTransaction(rt.db, tx_id, req.signal));
}
