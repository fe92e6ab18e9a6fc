// Thin route handlers: parse the query with a lib/domain schema, call one server function,
// map errors to JSON answers that hide internals.
import 'server-only';
import type { z } from 'zod';
import { parseQuery } from '@/lib/domain/api';
import { AppError, errorBody } from './errors';
import { getRuntime, type Runtime } from './runtime';

export async function respond(work: (rt: Runtime) => Promise<unknown>): Promise<Response> {
  try {
    const rt = await getRuntime();
    return Response.json(await work(rt));
  } catch (err) {
    const { status, body } = errorBody(err);
    if (status >= 500) console.error('api error', err);
    return Response.json(body, { status });
  }
}

export function queryOf<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const parsed = parseQuery(schema, new URL(req.url).searchParams);
  if (!parsed.ok) throw new AppError('bad_request', parsed.message);
  return parsed.value;
}
