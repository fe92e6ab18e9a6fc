import { runPass } from '@/lib/server/analysis';
import { respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Runs one analysis pass now (after any pass already running) and answers with its summary. */
export async function POST(): Promise<Response> {
  return respond((rt) => runPass(rt));
}
