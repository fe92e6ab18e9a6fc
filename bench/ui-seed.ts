// Child of bench/ui.ts: in a fresh DATA_DIR, generates a payment history of ~N events inside
// the engine (bench/analysis-history.ts, the analysis benchmark's generator: ~16,700 events
// an hour, ending 75 min ago), merges it, runs one full analysis pass and detection, and
// prints one JSON line { events, transactions, history_end_ms, generate_ms, pass_ms }.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runPass } from '@/lib/server/analysis';
import { runDetection } from '@/lib/server/detection';
import { loadEnv } from '@/lib/server/env';
import { startRuntime, stopRuntime } from '@/lib/server/runtime';
import { paymentConfig, PAYMENT_MODEL } from '@/test/support/models';
import { AVG_EVENTS_PER_TX, TX_INTERVAL_US, transactionsInsert } from './analysis-history';

const { values: args } = parseArgs({ options: { size: { type: 'string' }, data: { type: 'string' }, config: { type: 'string' } } });
const SIZE = Number(args.size);
const log = (m: string) => console.error(`[ui-seed] ${m}`);

writeFileSync(args.config!, JSON.stringify({ models: { payment: PAYMENT_MODEL }, max_clock_skew: '0ms' }));
const rt = await startRuntime(loadEnv({ DATA_DIR: args.data, LOG_LEVEL: 'warn' }), paymentConfig());
const nowUs = Date.now() * 1000;
const txCount = Math.round(SIZE / AVG_EVENTS_PER_TX);
const endUs = nowUs - 75 * 60_000_000;
let t = performance.now();
await rt.db.command(transactionsInsert({ history: true, ids: 'random' }), {
  first: 0, count: txCount, start_us: endUs - txCount * TX_INTERVAL_US, interval_us: TX_INTERVAL_US, cap_us: nowUs - 3_600_000_000, seed: 42,
});
for (const table of ['events', 'tx_index', 'signal_events']) await rt.db.command(`OPTIMIZE TABLE ${table} FINAL`);
const generateMs = Math.round(performance.now() - t);
const [row] = await rt.db.query<{ n: number | string }>('SELECT count() AS n FROM events');
log(`${Number(row?.n).toLocaleString('en')} events in ${generateMs} ms`);
t = performance.now();
await runPass(rt, { full: true });
const passMs = Math.round(performance.now() - t);
const detection = await runDetection(rt);
log(`analysis pass ${passMs} ms; detection ${detection.duration_ms} ms, ${detection.episodes} episodes`);
await stopRuntime();
console.log(JSON.stringify({ events: Number(row?.n), transactions: txCount, history_end_ms: Math.round(endUs / 1000), generate_ms: generateMs, pass_ms: passMs, episodes: detection.episodes }));
process.exit(0);
