// Analysis for this process: compiled models from the config, one pass at a time (the
// worker's interval and POST /api/v1/analysis/run share one queue), and the worker job,
// which runs detection after each pass.
import 'server-only';
import { compileModels, type CompiledModel } from '@/lib/analysis/model';
import { runAnalysisPass, type PassSummary } from './clickhouse/analysis-pass';
import { runDetection } from './detection';
import type { Runtime } from './runtime';
import type { Job } from './worker';

const KEY = Symbol.for('txdrift.analysis');
type Holder = { [KEY]?: { models: Map<string, CompiledModel>; queue: Promise<unknown> } };

function state(rt: Runtime) {
  const holder = globalThis as Holder;
  holder[KEY] ??= { models: compileModels(rt.config), queue: Promise.resolve() };
  return holder[KEY];
}

/** Runs one pass after any pass already running or queued in this process. */
export function runPass(rt: Runtime, opts: { full?: boolean } = {}): Promise<PassSummary> {
  const s = state(rt);
  const next = s.queue.then(() =>
    runAnalysisPass(rt.db, { models: s.models, maxClockSkewMs: rt.config.max_clock_skew, full: opts.full }),
  );
  s.queue = next.catch(() => undefined);
  return next;
}

export function analysisJob(rt: Runtime): Job {
  return {
    name: 'analysis',
    intervalMs: rt.env.ANALYSIS_INTERVAL,
    run: async () => {
      await runPass(rt);
      await runDetection(rt);
    },
  };
}
