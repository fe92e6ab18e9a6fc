import { DestinationCreateSchema } from '@/lib/domain/alerting';
import { createDestinationApi, listDestinationsApi } from '@/lib/server/alerting/api';
import { jsonBody, respondWith } from '@/lib/server/alerting/http';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  return respondWith(200, (rt) => listDestinationsApi(rt));
}

export async function POST(req: Request): Promise<Response> {
  return respondWith(201, async (rt) => createDestinationApi(rt, await jsonBody(req, DestinationCreateSchema)));
}
