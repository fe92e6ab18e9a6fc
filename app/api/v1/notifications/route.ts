import { NotificationListQuerySchema } from '@/lib/domain/alerting';
import { listNotificationsApi } from '@/lib/server/alerting/api';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return respond((rt) => listNotificationsApi(rt, queryOf(req, NotificationListQuerySchema)));
}
