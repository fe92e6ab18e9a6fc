// `txdrift detect` end to end: spawns `node bin/txdrift.mjs` (the same shim `npx txdrift`
// runs) on generated CSV and reads its standard output, standard error and exit status.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '../support/prng';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'txdrift-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function txdrift(args: string[], stdin = '') {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/txdrift.mjs'), ...args], { cwd: root, input: stdin, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}



const START = Date.UTC(2024, 4, 1);
const ROWS = 3000;
const SPIKE = 2000;
const minute = (i: number) => new Date(START + i * 60_000).toISOString();

/** A noisy latency-like level (mean 120, σ 8) with one spike. */
function valueCsv(): string {
  const { gauss } = prng(1);
  const rows = Array.from({ length: ROWS }, (_, i) => `${minute(i)},${(120 + 8 * gauss() + (i === SPIKE ? 200 : 0)).toFixed(3)}`);
  return `timestamp,value\n${rows.join('\n')}\n`;
}

/** About 2 % of ~800 transactions a minute, with 15 % at one minute. */
function countCsv(): string {
  const { rand, gauss } = prng(2);
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const total = Math.round(800 + 40 * gauss());
    const p = i === SPIKE ? 0.15 : 0.02;
    let count = 0;
    for (let k = 0; k < total; k++) if (rand() < p) count++;
    return `${Math.floor((START + i * 60_000) / 1000)},${count},${total}`;
  });
  return `timestamp,count,total\n${rows.join('\n')}\n`;
}

const dataRows = (stdout: string) => stdout.trimEnd().split('\n').slice(1).map((l) => l.split(','));
const flagged = (stdout: string) => dataRows(stdout).flatMap((r, i) => (r[3] === 'true' ? [i] : []));

describe('txdrift detect', () => {
  it('flags the spike in a clean noisy level series and almost nothing else', () => {
    const r = txdrift(['detect'], valueCsv());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score,is_anomaly');
    expect(lines).toHaveLength(ROWS + 1);
    const hits = flagged(r.stdout);
    expect(hits).toContain(SPIKE);
    expect(hits.length - 1).toBeLessThan(ROWS / 100);
    expect(hits).toEqual([SPIKE]); // in fact exactly the spike
    for (const row of dataRows(r.stdout)) {
      const score = Number(row[2]);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
      expect(row[3]).toMatch(/^(true|false)$/);
    }
    expect(dataRows(r.stdout)[SPIKE]![2]).toBe('1');
  });

  it('scores count,total rows as rates (value = count/total) and flags the burst', () => {
    const csv = countCsv();
    const r = txdrift(['detect'], csv);
    expect(r.status).toBe(0);
    const input = csv.trimEnd().split('\n').slice(1).map((l) => l.split(','));
    const out = dataRows(r.stdout);
    expect(out).toHaveLength(ROWS);
    for (let i = 0; i < ROWS; i += 97) expect(Number(out[i]![1])).toBeCloseTo(Number(input[i]![1]) / Number(input[i]![2]), 5);
    expect(flagged(r.stdout)).toEqual([SPIKE]);
  });

  it('reads --input FILE and standard input alike', () => {
    const csv = countCsv();
    const fromStdin = txdrift(['detect'], csv);
    const fromFile = txdrift(['detect', '--input', file('counts.csv', csv)]);
    const fromDash = txdrift(['detect', '--input', '-'], csv);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout).toBe(fromStdin.stdout);
    expect(fromDash.stdout).toBe(fromStdin.stdout);
  });

  it('writes one row per input row, in order, with every timestamp copied byte for byte', () => {
    const stamps = [
      '2024-05-01T00:00:00Z',
      '2024-05-01 00:01:00',
      '"2024-05-01 00:02:00"',
      '2024-05-01T02:03:00+02:00',
      ' 2024-05-01T00:04:00.000Z',
      '1714521900',
      '1714521960000',
      '2024-05-01T00:07:00.5',
      '2024-05-01 00:08',
      '1714522140.25',
    ];
    const csv = `timestamp,value\r\n${stamps.map((t, i) => `${t},${i + 1}`).join('\r\n')}\r\n`;
    const r = txdrift(['detect'], csv);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    // Everything before the last three fields (value, score, flag) is the timestamp as given.
    const parts = lines.slice(1, -1).map((l) => /^(.*),([^,]*),([^,]*),([^,]*)$/.exec(l)!);
    expect(parts.map((m) => m[1])).toEqual(stamps);
    expect(parts.map((m) => m[2])).toEqual(stamps.map((_, i) => String(i + 1)));
  });

  it("gives a row the same score whether or not later rows follow", () => {
    const lines = valueCsv().trimEnd().split('\n');
    const full = dataRows(txdrift(['detect'], `${lines.join('\n')}\n`).stdout);
    for (const k of [30, SPIKE, 2500]) {
      const cut = dataRows(txdrift(['detect'], `${lines.slice(0, k + 2).join('\n')}\n`).stdout);
      expect(cut).toHaveLength(k + 1);
      expect(cut).toEqual(full.slice(0, k + 1));
    }
  });

  it('rejects a wrong header with exit status 2 before any output', () => {
    const r = txdrift(['detect'], 'time,latency_ms\n2024-05-01T00:00:00Z,5\n');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('txdrift detect: line 1: expected the header "timestamp,value" or "timestamp,count,total", got "time,latency_ms"\n');
  });

  it('stops at a bad row with exit status 2, after writing the rows before it', () => {
    const r = txdrift(['detect'], 'timestamp,value\n0,1\n60,2\n120,two\n180,3\n');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('timestamp,value,anomaly_score,is_anomaly\n0,1,0,false\n60,2,0,false\n');
    expect(r.stderr).toBe('txdrift detect: line 4: expected a number in column value, got "two"\n');
  });

  it('reports an empty input, a missing file and bad options with exit status 2', () => {
    expect(txdrift(['detect'], '')).toMatchObject({ status: 2, stdout: '', stderr: expect.stringMatching(/line 1: expected the header .* got the end of the input/) });
    expect(txdrift(['detect', '--input', path.join(dir, 'nope.csv')])).toMatchObject({ status: 2, stderr: expect.stringMatching(/cannot read .*nope\.csv/) });
    expect(txdrift(['detect', '--threshold', '2'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--threshold: expected a p-value/) });
    expect(txdrift(['detect', '--period', 'daily'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--period: expected a whole number/) });
    expect(txdrift(['detect', '--frobnicate'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/Unknown option '--frobnicate'/) });
  });

  it('documents itself', () => {
    const r = txdrift(['detect', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/timestamp,value,anomaly_score,is_anomaly/);
    expect(r.stdout).toMatch(/true or false/);
    expect(r.stdout).toMatch(/line N/);
  });
});

describe('txdrift', () => {
  it('lists its commands with --help', () => {
    const r = txdrift(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: txdrift <command>/);
    expect(r.stdout).toMatch(/\n {2}detect {2}/);
  });

  it('rejects an unknown command with exit status 2', () => {
    const r = txdrift(['simulat']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^txdrift: unknown command "simulat"/);
    expect(r.stderr).toMatch(/Commands:/);
    expect(txdrift([]).status).toBe(2);
  });
});
