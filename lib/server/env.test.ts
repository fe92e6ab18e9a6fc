import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, isLoopback, loadEnv } from '@/lib/server/env';

const TOKEN = 'tok-0123456789abcdef-secret';
const CH = 'http://clickhouse:8123';

function envError(source: Record<string, string | undefined>): EnvError {
  try {
    loadEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return err as EnvError;
  }
  throw new Error(`expected loadEnv(${JSON.stringify(source)}) to throw`);
}

describe('loadEnv defaults', () => {
  it('an empty environment gives the embedded single-process defaults', () => {
    const e = loadEnv({});
    expect(e).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      mode: 'embedded',
      RETENTION_DAYS: 30,
      CLICKHOUSE_DATABASE: 'txdrift',
      CLICKHOUSE_USER: 'default',
      CLICKHOUSE_PASSWORD: '',
      TXDRIFT_ROLE: 'all',
      TXDRIFT_DEMO: '1',
      TXDRIFT_ALLOW_OPEN_INGEST: '0',
      ANALYSIS_INTERVAL: 5_000,
      INGEST_MAX_BACKLOG_MB: 256,
      LOG_LEVEL: 'info',
    });
    expect(e.CLICKHOUSE_URL).toBeUndefined();
    expect(e.CLICKHOUSE_CLUSTER).toBeUndefined();
    expect(e.INGEST_TOKEN).toBeUndefined();
  });

  it('dataDir is absolute and spoolDir is dataDir/spool', () => {
    const e = loadEnv({});
    expect(path.isAbsolute(e.dataDir)).toBe(true);
    expect(e.dataDir).toBe(path.resolve('./data'));
    expect(e.spoolDir).toBe(path.join(e.dataDir, 'spool'));
  });

  it('a relative DATA_DIR is resolved and SPOOL_DIR overrides the spool location', () => {
    expect(loadEnv({ DATA_DIR: 'var/tx' }).spoolDir).toBe(path.resolve('var/tx/spool'));
    const e = loadEnv({ DATA_DIR: '/srv/txdrift', SPOOL_DIR: 'spool2' });
    expect(e.dataDir).toBe('/srv/txdrift');
    expect(e.spoolDir).toBe(path.resolve('spool2'));
  });

  it('empty strings count as unset', () => {
    const e = loadEnv({ PORT: '', HOST: '', RETENTION_DAYS: '', INGEST_TOKEN: '', CLICKHOUSE_URL: '', TXDRIFT_ROLE: '', ANALYSIS_INTERVAL: '', OTHER: undefined });
    expect(e).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', RETENTION_DAYS: 30, TXDRIFT_ROLE: 'all', ANALYSIS_INTERVAL: 5_000, mode: 'embedded' });
    expect(e.INGEST_TOKEN).toBeUndefined();
  });
});

describe('loadEnv values', () => {
  it('coerces numbers and parses ANALYSIS_INTERVAL', () => {
    const e = loadEnv({ PORT: '8080', RETENTION_DAYS: '7', INGEST_MAX_BACKLOG_MB: '1024', ANALYSIS_INTERVAL: '10s' });
    expect(e).toMatchObject({ PORT: 8080, RETENTION_DAYS: 7, INGEST_MAX_BACKLOG_MB: 1024, ANALYSIS_INTERVAL: 10_000 });
  });

  it('CLICKHOUSE_URL selects server mode', () => {
    const e = loadEnv({ CLICKHOUSE_URL: CH, CLICKHOUSE_CLUSTER: 'txc', CLICKHOUSE_DATABASE: 'tx_prod' });
    expect(e).toMatchObject({ mode: 'server', CLICKHOUSE_URL: CH, CLICKHOUSE_CLUSTER: 'txc', CLICKHOUSE_DATABASE: 'tx_prod' });
  });

  it.each([['ingest'], ['worker'], ['web']])('TXDRIFT_ROLE=%s is accepted with CLICKHOUSE_URL', (role) => {
    expect(loadEnv({ TXDRIFT_ROLE: role, CLICKHOUSE_URL: CH }).TXDRIFT_ROLE).toBe(role);
  });
});

describe('loadEnv reports every problem at once', () => {
  it('several bad variables give one EnvError naming each key, its value and what was expected', () => {
    const err = envError({
      PORT: 'abc',
      RETENTION_DAYS: '0',
      CLICKHOUSE_URL: 'ftp://x',
      CLICKHOUSE_DATABASE: '1bad',
      TXDRIFT_DEMO: '2',
      TXDRIFT_ROLE: 'boss',
      ANALYSIS_INTERVAL: '5 min',
    });
    expect(err.name).toBe('EnvError');
    expect([...err.problems].sort()).toEqual(
      [
        'PORT="abc": expected an integer',
        'RETENTION_DAYS="0": expected an integer from 1 to 3650',
        'CLICKHOUSE_URL="ftp://x": expected an http(s) URL such as http://clickhouse:8123',
        'CLICKHOUSE_DATABASE="1bad": expected a ClickHouse identifier: letters, digits and _ (not starting with a digit)',
        'TXDRIFT_DEMO="2": expected 0 or 1',
        'TXDRIFT_ROLE="boss": expected one of all, ingest, worker, web',
        'ANALYSIS_INTERVAL="5 min": expected a duration such as 250ms, 30s, 5m, 2h or 7d, got "5 min"',
      ].sort(),
    );
    for (const p of err.problems) expect(err.message).toContain(`\n  - ${p}`);
    expect(err.message.startsWith('Invalid environment — txdrift will not start:\n')).toBe(true);
  });

  it.each([
    ['PORT', '70000', 'expected an integer from 1 to 65535'],
    ['PORT', '80.5', 'expected an integer'],
    ['RETENTION_DAYS', '3651', 'expected an integer from 1 to 3650'],
    ['INGEST_MAX_BACKLOG_MB', '8', 'expected an integer from 16 to 65536'],
    ['TXDRIFT_ALLOW_OPEN_INGEST', 'yes', 'expected 0 or 1'],
    ['PUBLIC_URL', 'txdrift.example.com', 'expected an absolute URL such as https://txdrift.example.com'],
    ['CLICKHOUSE_CLUSTER', 'my-cluster', 'expected a ClickHouse identifier'],
  ])('%s=%s is refused', (key, value, expected) => {
    const err = envError({ CLICKHOUSE_URL: CH, [key]: value });
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toContain(`${key}=${JSON.stringify(value)}: ${expected}`);
  });
});

describe('secrets are never shown', () => {
  it('a too-short INGEST_TOKEN is reported as (hidden) and its value is not in the message', () => {
    const err = envError({ INGEST_TOKEN: 'short-s3cr3t', CLICKHOUSE_PASSWORD: 'pw-hunter2-pw', PORT: 'nope' });
    expect(err.problems).toContain('INGEST_TOKEN=(hidden): expected at least 16 characters');
    expect(err.problems).toContain('PORT="nope": expected an integer');
    expect(err.message).not.toContain('short-s3cr3t');
    expect(err.message).not.toContain('pw-hunter2-pw');
    expect(JSON.stringify(err.problems)).not.toMatch(/short-s3cr3t|pw-hunter2-pw/);
  });
});

describe('cross-variable rules', () => {
  it.each([['0.0.0.0'], ['10.1.2.3'], ['::'], ['example.com']])('HOST=%s without INGEST_TOKEN is refused', (host) => {
    const err = envError({ HOST: host });
    expect(err.problems).toEqual([
      `HOST=${JSON.stringify(host)}: listening beyond loopback needs INGEST_TOKEN (or TXDRIFT_ALLOW_OPEN_INGEST=1 to accept events from anyone)`,
    ]);
  });

  it('a non-loopback HOST is accepted with INGEST_TOKEN, with TXDRIFT_ALLOW_OPEN_INGEST=1, or for a worker', () => {
    expect(loadEnv({ HOST: '0.0.0.0', INGEST_TOKEN: TOKEN }).INGEST_TOKEN).toBe(TOKEN);
    expect(loadEnv({ HOST: '0.0.0.0', TXDRIFT_ALLOW_OPEN_INGEST: '1' }).HOST).toBe('0.0.0.0');
    expect(loadEnv({ HOST: '0.0.0.0', TXDRIFT_ROLE: 'worker', CLICKHOUSE_URL: CH }).HOST).toBe('0.0.0.0');
    expect(() => loadEnv({ HOST: '0.0.0.0', TXDRIFT_ALLOW_OPEN_INGEST: '0' })).toThrow(EnvError);
  });

  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.10.20.30', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['128.0.0.1', false],
    ['127.0.0.1.example.com', false],
    ['', false],
  ])('isLoopback(%j) = %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  it('CLICKHOUSE_CLUSTER without CLICKHOUSE_URL is refused', () => {
    expect(envError({ CLICKHOUSE_CLUSTER: 'txc' }).problems).toEqual(['CLICKHOUSE_CLUSTER="txc": needs CLICKHOUSE_URL: a cluster is reached through a server']);
  });

  it('cross-variable problems are reported together', () => {
    const err = envError({ CLICKHOUSE_CLUSTER: 'txc', HOST: '0.0.0.0' });
    expect(err.problems.map((p) => p.split('=')[0])).toEqual(['HOST', 'CLICKHOUSE_CLUSTER']);
  });
});
