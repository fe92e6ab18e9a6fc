// Builds the Fastify app of a process: health and metrics always, the ingest routes when
// this process ingests. The web UI is attached by server.ts (it needs a Next build).
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Runtime } from '@/lib/server/runtime';
import { healthRoutes } from './health';
import { Ingestor } from './ingestor';
import { ingestRoutes } from './routes';

export interface BuiltApp {
  app: FastifyInstance;
  ingestor: Ingestor | null;
}

export interface BuildOptions {
  ingest: boolean;
  logLevel?: string;
  /** Spool tuning (tests shorten the sealing age). */
  segmentAgeMs?: number;
  /** Overrides INGEST_MAX_BACKLOG_MB, in bytes (tests). */
  maxBacklogBytes?: number;
}

export async function buildApp(rt: Runtime, opts: BuildOptions): Promise<BuiltApp> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? rt.env.LOG_LEVEL, redact: ['req.headers.authorization'] },
    bodyLimit: 1024 * 1024,
    forceCloseConnections: false,
    return503OnClosing: true,
    // Per-request lines at info would flood the console (the demo alone sends a few requests a
    // second): requests are logged at debug, failures (5xx) at warn.
    disableRequestLogging: true,
  });
  app.addHook('onResponse', async (req, reply) => {
    const line = { method: req.method, url: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (reply.statusCode >= 500) req.log.warn(line, 'request failed');
    else req.log.debug(line, 'request');
  });
  let ingestor: Ingestor | null = null;
  let registry: Registry;
  if (opts.ingest) {
    ingestor = await Ingestor.start(rt.db, {
      spoolDir: rt.env.spoolDir,
      maxBacklogBytes: opts.maxBacklogBytes ?? rt.env.INGEST_MAX_BACKLOG_MB * 1024 * 1024,
      segmentAgeMs: opts.segmentAgeMs,
      log: app.log,
    });
    registry = ingestor.metrics.registry;
    const ing = ingestor;
    await app.register(ingestRoutes, { ingestor: ing, token: rt.env.INGEST_TOKEN, retentionDays: rt.env.RETENTION_DAYS });
  } else {
    registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'txdrift_' });
  }
  const ing = ingestor;
  await app.register(healthRoutes, {
    db: rt.db,
    registry,
    details: ing ? () => ({ spool: { bytes: ing.spool.backlogBytes, segments: ing.spool.backlogSegments } }) : undefined,
  });
  return { app, ingestor };
}
