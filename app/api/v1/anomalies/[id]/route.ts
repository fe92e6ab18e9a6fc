import { AnomalyDetailQuerySchema } from '@/lib/domain/api';
import { anomalyDetail } from '@/lib/server/anomalies-api';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return respond((rt) => anomalyDetail(rt.db, id, queryOf(req, AnomalyDetailQuerySchema), req.signal));
}
