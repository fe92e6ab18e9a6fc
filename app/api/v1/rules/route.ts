import { RuleCreateSchema } from '@/lib/domain/alerting';
import { createRuleApi, listRulesApi } from '@/lib/server/alerting/api';
import { jsonBody, respondWith } from '@/lib/server/alerting/http';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  return respondWith(200, (rt) => listRulesApi(rt));
}

export async function POST(req: Request): Promise<Response> {
  return respondWith(201, async (rt) => createRuleApi(rt, await jsonBody(req, RuleCreateSchema)));
}
