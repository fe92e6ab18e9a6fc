import { AnomalyListQuerySchema } from '@/lib/domain/api';
import { anomalyList } from '@/lib/server/anomalies-api';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return respond((rt) => anomalyList(rt.db, queryOf(req, AnomalyListQuerySchema), req.signal));
}
