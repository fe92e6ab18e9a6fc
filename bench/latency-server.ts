// The txdrift server without the Next UI, for bench:latency when no production UI build
// exists (`next build` is not the benchmark's business): the same runtime, ingest app and
// background worker (analysis, detection, alerting) that server.ts starts for TXDRIFT_ROLE=all.
import { buildApp } from '@/ingest/app';
import { loadConfig } from '@/lib/server/config-file';
import { loadEnv } from '@/lib/server/env';
import { startRuntime, stopRuntime } from '@/lib/server/runtime';
import { backgroundJobs, startWorker } from '@/lib/server/worker';

const env = loadEnv();
const runtime = await startRuntime(env, loadConfig(env.TXDRIFT_CONFIG));
const { app, ingestor } = await buildApp(runtime, { ingest: true });
const worker = startWorker(runtime, backgroundJobs(runtime), app.log);
await app.listen({ port: env.PORT, host: env.HOST });
process.on('SIGTERM', () => {
  void (async () => {
    await app.close();
    await worker.stop();
    await ingestor?.close();
    await stopRuntime();
    process.exit(0);
  })();
});
