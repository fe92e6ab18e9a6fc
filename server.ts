// Entry point. `npm start` runs every role in one process on the embedded engine: UI and
// /api/v1 (Next), ingest (/v1/events), health and metrics, and the background worker.
// TXDRIFT_ROLE=ingest|worker|web runs one role per process: the way to scale out in server
// mode (CLICKHOUSE_URL). On the embedded engine a single role is allowed too (e.g. a
// headless ingest node), but only one process may use a DATA_DIR: the engine locks it.
// SIGTERM/SIGINT: stop accepting, drain in-flight requests, flush the spool, close ClickHouse.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { buildApp } from '@/ingest/app';
import { ConfigError, loadConfig } from '@/lib/server/config-file';
import { configFileFor, isDemoEnabled, startDemo, type Demo } from '@/lib/server/demo';
import { EnvError, loadEnv } from '@/lib/server/env';
import { startRuntime, stopRuntime } from '@/lib/server/runtime';
import { backgroundJobs, startWorker, type Worker } from '@/lib/server/worker';

const root = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const env = loadEnv();
  // The demo's traffic needs its model: analysis uses it unless the user gave their own.
  const demoOn = isDemoEnabled(env);
  const config = loadConfig(configFileFor(env, root));
  const role = env.TXDRIFT_ROLE;
  const runtime = await startRuntime(env, config);
  const { app, ingestor } = await buildApp(runtime, { ingest: role === 'all' || role === 'ingest' });

  if (role === 'all' || role === 'web') {
    const dev = process.env.TXDRIFT_DEV === '1';
    const nextApp = next({ dev, dir: root, hostname: env.HOST, port: env.PORT, quiet: !dev });
    await nextApp.prepare();
    const handle = nextApp.getRequestHandler();
    // Everything else is Next's: hand over the untouched request (its body unread).
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
      scope.all('/*', async (req, reply) => {
        reply.hijack();
        await handle(req.raw, reply.raw);
      });
    });
  }

  let worker: Worker | null = null;
  if (role === 'all' || role === 'worker') worker = startWorker(runtime, backgroundJobs(runtime), app.log);

  await app.listen({ port: env.PORT, host: env.HOST });
  app.log.info({ role, mode: env.mode, dataDir: env.mode === 'embedded' ? env.dataDir : undefined, migrations: runtime.migrations }, `txdrift listening on http://${env.HOST}:${env.PORT}`);
  const demo: Demo | null = demoOn ? startDemo(runtime, env.PORT, app.log) : null;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining requests and flushing the spool');
    const force = setTimeout(() => {
      app.log.error('shutdown took over 60 s; exiting (the spool is replayed at next start)');
      process.exit(1);
    }, 60_000);
    force.unref();
    await demo?.stop();
    await app.close();
    await worker?.stop();
    await ingestor?.close();
    await stopRuntime();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof EnvError || err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('txdrift failed to start:', err);
  }
  process.exit(1);
});
