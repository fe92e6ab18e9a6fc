// Process health for orchestrators and Prometheus: /healthz (alive), /readyz (migrations
// applied and ClickHouse answering), /metrics (Prometheus text format).
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Db } from '@/lib/server/clickhouse/client';

export interface HealthOptions {
  db: Db;
  registry: Registry;
  /** Extra readiness facts, e.g. the spool backlog. */
  details?: () => Record<string, unknown>;
}

export async function healthRoutes(app: FastifyInstance, opts: HealthOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const ping = await Promise.race([
      opts.db.client.ping().then((r) => (r.success ? 'ok' : `unreachable: ${r.error.message}`)),
      new Promise<string>((r) => setTimeout(() => r('no answer within 2 s'), 2_000).unref()),
    ]);
    const ready = ping === 'ok';
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not ready',
      checks: { migrations: 'applied', clickhouse: ping },
      ...opts.details?.(),
    });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(opts.registry.contentType);
    return opts.registry.metrics();
  });
}
