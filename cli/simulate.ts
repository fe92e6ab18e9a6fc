// `txdrift simulate`: realistic multi-service traffic, with optional faults, sent to a
// txdrift server over HTTP; prints the ground truth of what it injected. The traffic model
// is lib/sim (pure); sending and pacing are lib/server/simulator. This is options and output.
import { parseArgs } from 'node:util';
import { durationMs } from '@/lib/domain/duration';
import { SCENARIOS, SCENARIO_NAMES } from '@/lib/sim/scenarios';
import { parseScenarios, parseSchedule, ScheduleError, type ScenarioPlan } from '@/lib/sim/schedule';
import { formatSpan, runSimulation, type SimulationReport } from '@/lib/server/simulator/driver';
import { SendError } from '@/lib/server/simulator/sender';
import type { Io } from './io';

export const SIMULATE_SUMMARY = 'send realistic transaction traffic, with injected faults, to a txdrift server';

const width = Math.max(...SCENARIO_NAMES.map((n) => n.length));
export const SIMULATE_HELP = `Usage: txdrift simulate [options]

Generates traffic of a payment platform (payment, transfer and refund transactions over
edge, api, payments, an external provider, ledger and notifier) with its ordinary noise:
latency, a daily volume curve, provider retries, late arrivals, broker redeliveries and
small clock skews. Faults can be switched on from the start or scheduled. Events go to
POST /v1/events in gzip NDJSON batches with an Idempotency-Key, retried with backoff.
The server should use the demo model (TXDRIFT_CONFIG=config/demo.yaml, the default of
\`npm start\` with the demo on). At the end (or on Ctrl-C) it prints the ground truth.

Options:
  --url URL            txdrift base URL (default http://127.0.0.1:3000)
  --token TOKEN        ingest bearer token (default: $INGEST_TOKEN)
  --rate N             mean transactions per second (default 5; the daily curve varies it ±45%)
  --seed N             random seed: the same seed gives the same traffic (default 1)
  --backfill DURATION  first write this much history at full speed, e.g. 24h (default 0)
  --duration DURATION  live traffic for this long, e.g. 10m (default: until Ctrl-C)
  --scenario NAME      a fault active from the start of live traffic; repeat or comma-separate
  --schedule NAME@+OFFSET[/DURATION]
                       a fault from OFFSET after live traffic starts, for DURATION (default:
                       to the end); -OFFSET places it in the backfilled history.
                       e.g. --schedule dup-storm@+5m/3m --schedule ledger-lag@-2h/15m
  --batch N            events per request (default 2000)
  --json               print the ground truth as JSON instead of text
  -h, --help           show this help

Scenarios (the flags they produce):
${SCENARIO_NAMES.map((n) => `  ${n.padEnd(width)}  ${SCENARIOS[n].summary} [${SCENARIOS[n].flags.join(', ')}]`).join('\n')}

Examples:
  txdrift simulate --backfill 24h --rate 5 --schedule dup-storm@+2m/5m
  txdrift simulate --url http://txdrift:3000 --token "$INGEST_TOKEN" --scenario reorder,clock-skew --duration 15m
`;

interface Parsed {
  url: string;
  token?: string;
  rate: number;
  seed: number;
  backfillMs: number;
  durationMs: number | null;
  plans: ScenarioPlan[];
  batch: number;
  json: boolean;
}

class UsageError extends Error {}

export async function simulate(argv: string[], io: Io): Promise<number> {
  let opts: Parsed | 'help';
  try {
    opts = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError || e instanceof ScheduleError || e instanceof TypeError)) throw e;
    io.stderr.write(`txdrift simulate: ${(e as Error).message}\nRun "txdrift simulate --help" for usage.\n`);
    return 2;
  }
  if (opts === 'help') {
    io.stdout.write(SIMULATE_HELP);
    return 0;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const runId = `${opts.seed.toString(36)}${Math.floor(Date.now() / 1000).toString(36)}`;
  try {
    const report = await runSimulation({
      url: opts.url, token: opts.token, rate: opts.rate, seed: opts.seed, runId, plans: opts.plans,
      backfillMs: opts.backfillMs, durationMs: opts.durationMs, batchEvents: opts.batch, signal: stop.signal,
      log: (line) => io.stderr.write(`${line}\n`),
      sender: { onRetry: ({ attempt, status, waitMs }) => io.stderr.write(`retry: batch answered ${status}, attempt ${attempt + 1} in ${waitMs} ms\n`) },
    });
    io.stdout.write(opts.json ? `${JSON.stringify({ run_id: runId, seed: opts.seed, rate: opts.rate, ...report }, null, 2)}\n` : groundTruthText(report, runId, opts));
    return 0;
  } catch (e) {
    if (!(e instanceof SendError)) throw e;
    io.stderr.write(`txdrift simulate: ${e.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function parse(argv: string[]): Parsed | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      token: { type: 'string' },
      rate: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      backfill: { type: 'string', default: '0s' },
      duration: { type: 'string' },
      scenario: { type: 'string', multiple: true, default: [] },
      schedule: { type: 'string', multiple: true, default: [] },
      batch: { type: 'string', default: '2000' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (v.help) return 'help';
  let url: URL;
  try {
    url = new URL(v.url);
  } catch {
    throw new UsageError(`--url: expected an http(s) URL such as http://127.0.0.1:3000, got "${v.url}"`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new UsageError(`--url: expected an http(s) URL such as http://127.0.0.1:3000, got "${v.url}"`);
  const rate = Number(v.rate);
  if (!(rate > 0 && rate <= 10_000)) throw new UsageError(`--rate: expected transactions per second above 0 and at most 10000, got "${v.rate}"`);
  if (!/^\d{1,9}$/.test(v.seed)) throw new UsageError(`--seed: expected a whole number, got "${v.seed}"`);
  const backfillMs = durationMs(v.backfill);
  if (backfillMs === null || backfillMs > 7 * 86_400_000) throw new UsageError(`--backfill: expected a duration up to 7d such as 24h or 90m, got "${v.backfill}"`);
  const live = v.duration === undefined ? null : durationMs(v.duration);
  if (v.duration !== undefined && live === null) throw new UsageError(`--duration: expected a duration such as 30s, 10m or 2h, got "${v.duration}"`);
  if (!/^\d+$/.test(v.batch) || Number(v.batch) < 1 || Number(v.batch) > 50_000) throw new UsageError(`--batch: expected events per request from 1 to 50000, got "${v.batch}"`);
  return {
    url: url.toString().replace(/\/$/, ''),
    token: v.token ?? process.env.INGEST_TOKEN,
    rate,
    seed: Number(v.seed),
    backfillMs,
    durationMs: live,
    plans: [...parseScenarios(v.scenario), ...parseSchedule(v.schedule)],
    batch: Number(v.batch),
    json: v.json,
  };
}

const n = (x: number) => x.toLocaleString('en-US');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function groundTruthText(r: SimulationReport, runId: string, o: Parsed): string {
  const t = r.truth;
  const s = r.stats;
  const types = Object.entries(t.byType).map(([k, c]) => `${k} ${n(c)}`).join(', ');
  const retried = Object.entries(s.retriedOn).map(([k, c]) => `${k}: ${c}`).join(', ');
  const lines = [
    `Ground truth — run ${runId}, seed ${o.seed}, ${o.rate} tx/s`,
    `  time          ${iso(r.liveStartMs - r.backfillMs)} → ${iso(r.endedMs)}${r.backfillMs ? ` (${formatSpan(r.backfillMs)} backfilled, live from ${iso(r.liveStartMs)})` : ''}`,
    `  transactions  ${n(t.transactions)} (${types || 'none'}); tx ids contain "-${runId}-"`,
    `  events        ${n(s.events)} sent in ${n(s.batches)} requests, ${n(s.accepted)} accepted, ${n(s.rejected)} rejected; ${n(s.retries)} retries${retried ? ` (${retried})` : ''}, ${n(s.replayed)} replayed`,
    `  noise         ${n(t.noise.redeliveredTx)} transactions redelivered (duplicate_delivery), ${n(t.noise.lateEvents)} late events: ordinary, not an incident`,
    t.scenarios.length ? '  faults' : '  faults        none',
    ...t.scenarios.map((f) => {
      const span = `${iso(f.fromMs)} → ${f.toMs === null ? 'end' : iso(Math.min(f.toMs, r.endedMs))}`;
      const spec = SCENARIOS[f.name];
      return `    ${f.name.padEnd(width)}  ${span}  ${n(f.transactions)} transactions → ${f.flags.join(', ')} on ${f.services.join(', ')}${spec.transient ? ' (clears when the ledger catches up)' : ''}${f.sampleTxIds.length ? `\n    ${' '.repeat(width)}  e.g. ${f.sampleTxIds.slice(0, 3).join(', ')}` : ''}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
