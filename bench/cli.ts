// npm run bench:cli [-- --rows 20000] [--repeat 3] [--quick] [--json FILE]
// (--quick: one repeat; --json FILE writes { bench, quick, date, metrics } for npm run bench.)
//
// End-to-end timing of `txdrift detect`: generates a 1-minute series (a daily cycle, noise and
// a few spikes) as `timestamp,value` and as `timestamp,count,total`, then times
// `node bin/txdrift.mjs detect --input FILE` from spawn to exit, start-up included, and
// checks one output row per input row. Target (issue): 20,000 rows in under 2 s.
//
// The level's daily cycle is kept small (4 against noise of σ 5): a larger one currently trips
// ValueDetector's CUSUM for good (see lib/detect/detector.test.ts), and a series flagged
// throughout would not time the usual path (learning, seasonal baseline).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prng } from '../test/support/prng';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '20000' }, repeat: { type: 'string' }, quick: { type: 'boolean', default: false }, json: { type: 'string' } },
});
const ROWS = Number(args.rows);
const REPEAT = Number(args.repeat ?? (args.quick ? '1' : '3'));
if (!Number.isInteger(ROWS) || ROWS < 1 || !Number.isInteger(REPEAT) || REPEAT < 1) throw new Error('--rows and --repeat: expected positive integers');

// Deterministic noise (mulberry32) so runs are comparable.
const { rand, gauss } = prng(42);

const start = Date.UTC(2024, 4, 1);
const iso = (i: number) => new Date(start + i * 60_000).toISOString();
const daily = (i: number) => Math.sin((2 * Math.PI * i) / 1440);

const values = ['timestamp,value'];
const counts = ['timestamp,count,total'];
for (let i = 0; i < ROWS; i++) {
  const spike = i % 5000 === 4321;
  values.push(`${iso(i)},${(100 + 4 * daily(i) + 5 * gauss() + (spike ? 80 : 0)).toFixed(2)}`);
  const total = Math.max(1, Math.round(1000 + 300 * daily(i) + 30 * gauss()));
  const rate = spike ? 0.1 : 0.02;
  let count = 0;
  for (let k = 0; k < total; k++) if (rand() < rate) count++;
  counts.push(`${iso(i)},${count},${total}`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'txdrift-bench-cli-'));
const files = { 'timestamp,value': path.join(dir, 'values.csv'), 'timestamp,count,total': path.join(dir, 'counts.csv') };
writeFileSync(files['timestamp,value'], `${values.join('\n')}\n`);
writeFileSync(files['timestamp,count,total'], `${counts.join('\n')}\n`);

function time(argv: string[]): { seconds: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(root, 'bin/txdrift.mjs'), ...argv], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`txdrift ${argv.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

const fmt = (s: number) => `${s.toFixed(3)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

const metrics: { name: string; value: number; unit: string; target?: number; met?: boolean }[] = [];
try {
  time(['--help']); // warm tsx's transform cache, as any second run would be
  const startup = Array.from({ length: REPEAT }, () => time(['--help']).seconds);
  console.log(`start-up (txdrift --help): median ${fmt(median(startup))}`);
  metrics.push({ name: 'txdrift start-up (--help)', value: round3(median(startup)), unit: 's' });
  for (const [format, file] of Object.entries(files)) {
    const runs = Array.from({ length: REPEAT }, () => time(['detect', '--input', file]));
    const lines = runs[0]!.stdout.trimEnd().split('\n');
    if (lines.length !== ROWS + 1) throw new Error(`${format}: expected ${ROWS + 1} output lines, got ${lines.length}`);
    const flagged = lines.filter((l) => l.endsWith(',true')).length;
    const secs = runs.map((r) => r.seconds);
    console.log(`detect ${ROWS} rows of ${format}: median ${fmt(median(secs))} (runs ${secs.map(fmt).join(', ')}; ${flagged} flagged)`);
    metrics.push({ name: `detect ${ROWS} rows of ${format}, end to end`, value: round3(median(secs)), unit: 's', ...(ROWS === 20_000 && { target: 2, met: median(secs) < 2, better: 'lower' }) });
  }
  if (args.json) writeFileSync(args.json, JSON.stringify({ bench: 'cli', quick: args.quick, date: new Date().toISOString(), metrics }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
