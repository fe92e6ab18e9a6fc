import { DestinationUpdateSchema } from '@/lib/domain/alerting';
import { deleteDestinationApi, updateDestinationApi } from '@/lib/server/alerting/api';
import { jsonBody, respondWith } from '@/lib/server/alerting/http';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export async function PATCH(req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return respondWith(200, async (rt) => updateDestinationApi(rt, id, await jsonBody(req, DestinationUpdateSchema)));
}

export async function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return respondWith(204, (rt) => deleteDestinationApi(rt, id));
}
