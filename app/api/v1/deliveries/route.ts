import { DeliveryListQuerySchema } from '@/lib/domain/alerting';
import { listDeliveriesApi } from '@/lib/server/alerting/api';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return respond((rt) => listDeliveriesApi(rt, queryOf(req, DeliveryListQuerySchema), req.signal));
}
