import { getIngestSummary } from '@/lib/server/clickhouse/events';
import { getDemoState } from '@/lib/server/demo-state';
import { errorBody } from '@/lib/server/errors';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const rt = await getRuntime();
    const summary = await getIngestSummary(rt.db, req.signal);
    return Response.json({
      mode: rt.env.mode,
      schema_version: rt.migrations.current,
      started_at: rt.startedAt.toISOString(),
      events: summary.events,
      transactions: summary.transactions,
      last_received_at: summary.lastReceivedAt,
      services: summary.services.map((s) => ({ service: s.service, events: s.events, last_received_at: s.lastReceivedAt })),
      // null unless this process runs the built-in demo (simulated traffic).
      demo: getDemoState(),
    });
  } catch (err) {
    const { status, body } = errorBody(err);
    return Response.json(body, { status });
  }
}
