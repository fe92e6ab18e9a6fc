import { RuleUpdateSchema } from '@/lib/domain/alerting';
import { deleteRuleApi, updateRuleApi } from '@/lib/server/alerting/api';
import { jsonBody, respondWith } from '@/lib/server/alerting/http';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export async function PATCH(req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return respondWith(200, async (rt) => updateRuleApi(rt, id, await jsonBody(req, RuleUpdateSchema)));
}

export async function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  const { id } = await ctx.params;
  return respondWith(204, (rt) => deleteRuleApi(rt, id));
}
