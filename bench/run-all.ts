// npm run bench [-- --quick] [--only ingest,cli] [--render]
//
// Runs every benchmark of the project one after the other (ingest, analysis, detection
// quality, detection latency, UI/API latency, the detect CLI), each in its own process with
// --json, and gathers their figures into bench/results.json and bench/results.md: one table
// with the date and the machine, the table the README's "Performance" section shows.
// --quick passes --quick to each (smaller sizes: a few minutes in all). A benchmark that is
// missing or fails is recorded as such and the others still run. --only reruns some and
// keeps the other rows of bench/results.json when it was written in the same mode.
// --render only rewrites bench/results.md from bench/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ADAPTERS, type Metric } from './run-all-adapters';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, render: { type: 'boolean', default: false } } });
let quick = args.quick!;

interface Bench {
  name: string;
  script: string;
  file: string;
  what: string;
}

const BENCHES: Bench[] = [
  { name: 'ingest', script: 'bench:ingest', file: 'bench/ingest.ts', what: 'HTTP ingest to committed rows, against the engine’s own bulk load' },
  { name: 'analysis', script: 'bench:analysis', file: 'bench/analysis.ts', what: 'analysis passes: full and incremental, as history grows' },
  { name: 'detect', script: 'bench:detect', file: 'bench/detect.ts', what: 'detection quality on labelled series' },
  { name: 'latency', script: 'bench:latency', file: 'bench/latency.ts', what: 'detection latency: fault to episode to webhook' },
  { name: 'ui', script: 'bench:ui', file: 'bench/ui.ts', what: 'UI pages and API latency' },
  { name: 'cli', script: 'bench:cli', file: 'bench/cli.ts', what: 'npx txdrift detect end to end' },
];

interface BenchResult {
  bench: string;
  what: string;
  status: 'ok' | 'failed' | 'missing';
  /** When it ran (ISO 8601). */
  date: string;
  seconds: number;
  error?: string;
  metrics: Metric[];
}

function run(b: Bench, dir: string): BenchResult {
  const base = { bench: b.name, what: b.what, date: new Date().toISOString(), seconds: 0, metrics: [] as Metric[] };
  if (!existsSync(path.join(root, b.file))) return { ...base, status: 'missing', error: `${b.file} does not exist` };
  const jsonFile = path.join(dir, `${b.name}.json`);
  const started = Date.now();
  console.log(`\n=== ${b.name}: npm run ${b.script} -- ${quick ? '--quick ' : ''}--json … ===`);
  const r = spawnSync('npm', ['run', '--silent', b.script, '--', ...(quick ? ['--quick'] : []), '--json', jsonFile], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: (quick ? 15 : 180) * 60_000,
    maxBuffer: 1 << 26,
  });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (r.stderr) process.stderr.write(r.stderr);
  // The error line says more than the stack under it.
  const errLines = (r.stderr ?? '').trim().split('\n');
  const lastLines = (errLines.findLast((l) => /\b\w*Error\b/.test(l)) ?? errLines.slice(-3).join(' ')).trim().slice(0, 300);
  if (r.error || r.status !== 0) return { ...base, seconds, status: 'failed', error: r.error ? r.error.message : `exit ${r.status ?? r.signal}: ${lastLines}` };
  try {
    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
    return { ...base, seconds, status: 'ok', metrics: ADAPTERS[b.name]?.(json) ?? (json.metrics as Metric[]) ?? [] };
  } catch (err) {
    return { ...base, seconds, status: 'failed', error: `no readable --json output: ${(err as Error).message}` };
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

const fmt = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumSignificantDigits: 4 }));
const cell = (s: string) => s.replace(/\|/g, '\\|');

function markdown(m: ReturnType<typeof machine>, results: BenchResult[]): string {
  const dates = [...new Set(results.map((r) => r.date.slice(0, 16).replace('T', ' ')))].sort();
  const lines = [
    `Measured ${dates.length > 1 ? `${dates[0]} to ${dates.at(-1)}` : dates[0]} UTC with \`npm run bench${quick ? ' -- --quick' : ''}\`${quick ? ' (quick mode: smaller sizes)' : ''}`,
    `on ${m.cores} cores (${m.cpu}), ${m.memory_gib} GiB, Node ${m.node.slice(1)}, ${m.os}.`,
    '',
    '| benchmark | figure | value | target | met |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    if (r.status !== 'ok') {
      lines.push(`| ${r.bench} | ${r.status === 'missing' ? 'not run: missing' : `**failed** after ${r.seconds} s`} | ${cell(r.error ?? '')} | | |`);
      continue;
    }
    if (r.metrics.length === 0) lines.push(`| ${r.bench} | (no figures reported) | | | |`);
    for (const x of r.metrics) {
      const target = x.target === undefined ? '' : `${x.better === 'lower' ? '≤ ' : x.better === 'higher' ? '≥ ' : ''}${fmt(x.target)}`;
      lines.push(`| ${r.bench} | ${cell(x.name)} | ${fmt(x.value)} ${cell(x.unit)} | ${target} | ${x.met === undefined ? '' : x.met ? 'yes' : '**no**'} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A benchmark's row from the previous results, when they were measured in the same mode. */
function kept(name: string): BenchResult[] {
  try {
    const prev = JSON.parse(readFileSync(path.join(root, 'bench/results.json'), 'utf8')) as { quick: boolean; results: BenchResult[] };
    return prev.quick === quick ? prev.results.filter((r) => r.bench === name && r.date) : [];
  } catch {
    return [];
  }
}

if (args.render) {
  const saved = JSON.parse(readFileSync(path.join(root, 'bench/results.json'), 'utf8')) as { quick: boolean; machine: ReturnType<typeof machine>; results: BenchResult[] };
  quick = saved.quick;
  writeFileSync(path.join(root, 'bench/results.md'), markdown(saved.machine, saved.results));
  console.log(readFileSync(path.join(root, 'bench/results.md'), 'utf8'));
  process.exit(0);
}

const selected = args.only ? BENCHES.filter((b) => args.only!.split(',').includes(b.name)) : BENCHES;
if (selected.length === 0) {
  console.error(`--only: expected names among ${BENCHES.map((b) => b.name).join(', ')}, got "${args.only}"`);
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'txdrift-bench-'));
try {
  const fresh = selected.map((b) => run(b, dir));
  const results = BENCHES.flatMap((b) => fresh.find((r) => r.bench === b.name) ?? (args.only ? kept(b.name) : []));
  const m = machine();
  writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify({ date: new Date().toISOString(), quick, machine: m, results }, null, 2) + '\n');
  const md = markdown(m, results);
  writeFileSync(path.join(root, 'bench/results.md'), md);
  console.log(`\n${md}\nWritten: bench/results.json, bench/results.md`);
  process.exitCode = fresh.some((r) => r.status === 'failed') ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
