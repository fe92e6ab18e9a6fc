// Environment of every entry point, validated once at start. A bad value stops the
// process with one message listing every bad variable, its value (secrets hidden) and
// what was expected. Depends on zod only.
import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { DurationMsSchema } from '@/lib/domain/duration';

const flag = z.enum(['0', '1'], { error: 'expected 0 or 1' });
const int = (min: number, max: number) =>
  z.coerce.number({ error: 'expected an integer' }).int({ error: 'expected an integer' })
    .min(min, { error: `expected an integer from ${min} to ${max}` })
    .max(max, { error: `expected an integer from ${min} to ${max}` });
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'expected a ClickHouse identifier: letters, digits and _ (not starting with a digit)' });

export const ROLES = ['all', 'ingest', 'worker', 'web'] as const;
export type Role = (typeof ROLES)[number];

const SECRET_KEYS = new Set(['INGEST_TOKEN', 'CLICKHOUSE_PASSWORD']);

const EnvSchema = z
  .object({
    PORT: int(1, 65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    CLICKHOUSE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://clickhouse:8123' }).optional(),
    CLICKHOUSE_USER: z.string().default('default'),
    CLICKHOUSE_PASSWORD: z.string().default(''),
    CLICKHOUSE_DATABASE: identifier.default('txdrift'),
    CLICKHOUSE_CLUSTER: identifier.optional(),
    TXDRIFT_CONFIG: z.string().min(1).optional(),
    INGEST_TOKEN: z.string().min(16, { error: 'expected at least 16 characters' }).optional(),
    RETENTION_DAYS: int(1, 3650).default(30),
    TXDRIFT_DEMO: flag.default('1'),
    TXDRIFT_ALLOW_OPEN_INGEST: flag.default('0'),
    /** 1 lets alert destinations resolve to loopback, private or link-local addresses (on-premise receivers, tests). */
    TXDRIFT_ALLOW_PRIVATE_WEBHOOKS: flag.default('0'),
    TXDRIFT_ROLE: z.enum(ROLES, { error: `expected one of ${ROLES.join(', ')}` }).default('all'),
    ANALYSIS_INTERVAL: DurationMsSchema.default(5_000),
    PUBLIC_URL: z.url({ error: 'expected an absolute URL such as https://txdrift.example.com' }).optional(),
    /** Bytes acknowledged but not yet in ClickHouse before ingest answers 503; default 256 MiB. */
    INGEST_MAX_BACKLOG_MB: int(16, 65536).default(256),
    SPOOL_DIR: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((e, ctx) => {
    if (!isLoopback(e.HOST) && !e.INGEST_TOKEN && e.TXDRIFT_ALLOW_OPEN_INGEST !== '1' && e.TXDRIFT_ROLE !== 'worker') {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message: 'listening beyond loopback needs INGEST_TOKEN (or TXDRIFT_ALLOW_OPEN_INGEST=1 to accept events from anyone)',
      });
    }
    if (e.CLICKHOUSE_CLUSTER && !e.CLICKHOUSE_URL) {
      ctx.addIssue({ code: 'custom', path: ['CLICKHOUSE_CLUSTER'], message: 'needs CLICKHOUSE_URL: a cluster is reached through a server' });
    }
  });

export type Env = z.output<typeof EnvSchema> & {
  /** Absolute data directory. */
  dataDir: string;
  /** Absolute spool directory (acknowledged events not yet in ClickHouse). */
  spoolDir: string;
  mode: 'embedded' | 'server';
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment — txdrift will not start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment (default: process.env); throws EnvError listing every problem. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const input = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const shown = SECRET_KEYS.has(key) ? '(hidden)' : JSON.stringify(input[key] ?? '(unset)');
      return `${key}=${shown}: ${issue.message}`;
    });
    throw new EnvError(problems);
  }
  const e = parsed.data;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.DATA_DIR);
  return {
    ...e,
    dataDir,
    spoolDir: path.resolve(/*turbopackIgnore: true*/ e.SPOOL_DIR ?? path.join(dataDir, 'spool')),
    mode: e.CLICKHOUSE_URL ? 'server' : 'embedded',
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
