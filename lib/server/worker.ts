// The background worker: runs registered jobs on their own intervals, never two runs of
// one job at once, and stops cleanly. Analysis passes and alert delivery register here
// (see `backgroundJobs`); in embedded mode the worker runs inside `npm start`, in server
// mode as `npm run worker`.
import 'server-only';
import { alertingJob } from './alerting/job';
import { analysisJob } from './analysis';
import type { Runtime } from './runtime';

export interface Job {
  name: string;
  intervalMs: number;
  run: (rt: Runtime, signal: AbortSignal) => Promise<void>;
}

export interface WorkerLog {
  info: (o: object, msg: string) => void;
  error: (o: object, msg: string) => void;
}

/** Jobs of this build. Each capability that works in the background adds its job here. */
export function backgroundJobs(rt: Runtime): Job[] {
  return [analysisJob(rt), alertingJob()];
}

export interface Worker {
  stop(): Promise<void>;
}

export function startWorker(rt: Runtime, jobs: Job[], log: WorkerLog): Worker {
  const abort = new AbortController();
  const loops = jobs.map(async (job) => {
    while (!abort.signal.aborted) {
      const started = Date.now();
      try {
        await job.run(rt, abort.signal);
      } catch (err) {
        if (!abort.signal.aborted) log.error({ err, job: job.name }, 'background job failed; it will run again');
      }
      const wait = Math.max(0, job.intervalMs - (Date.now() - started));
      await new Promise<void>((resolve) => {
        // The listener is removed when the timer fires: a job running every second must not pile them up.
        const onAbort = () => (clearTimeout(t), resolve());
        const t = setTimeout(() => (abort.signal.removeEventListener('abort', onAbort), resolve()), wait);
        abort.signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  });
  log.info({ jobs: jobs.map((j) => j.name) }, 'worker started');
  return {
    async stop() {
      abort.abort();
      await Promise.all(loops);
    },
  };
}
