// Route helpers for the alerting API: answers with a chosen status (201, 204) and JSON
// bodies parsed with a zod schema, each problem named by its field.
import 'server-only';
import type { z } from 'zod';
import { describeIssues } from '@/lib/domain/alerting';
import { AppError, errorBody } from '../errors';
import { getRuntime, type Runtime } from '../runtime';

export async function respondWith(status: number, work: (rt: Runtime) => Promise<unknown>): Promise<Response> {
  try {
    const rt = await getRuntime();
    const body = await work(rt);
    return status === 204 ? new Response(null, { status }) : Response.json(body, { status });
  } catch (err) {
    const { status: code, body } = errorBody(err);
    if (code >= 500) console.error('api error', err);
    return Response.json(body, { status: code });
  }
}

export async function jsonBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new AppError('bad_request', 'body: expected a JSON object');
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new AppError('bad_request', describeIssues(parsed.error));
}
