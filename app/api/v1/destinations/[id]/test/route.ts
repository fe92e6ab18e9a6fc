import { testDestinationApi } from '@/lib/server/alerting/api';
import { respondWith } from '@/lib/server/alerting/http';

export const dynamic = 'force-dynamic';

export async function POST(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return respondWith(200, (rt) => testDestinationApi(rt, id));
}
