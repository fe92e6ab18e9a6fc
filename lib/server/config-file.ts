// Loads TXDRIFT_CONFIG (JSON or YAML) and validates it against the domain schema. On error
// it lists every bad key, its value and what was expected.
import 'server-only';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigSchema, EMPTY_CONFIG, type TxdriftConfig } from '@/lib/domain/config';

export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`Invalid TXDRIFT_CONFIG ${file} — txdrift will not start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(file: string | undefined): TxdriftConfig {
  if (!file) return EMPTY_CONFIG;
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, [`cannot read or parse the file: ${(err as Error).message}`]);
  }
  return parseConfig(raw ?? {}, file);
}

export function parseConfig(raw: unknown, file = '(inline)'): TxdriftConfig {
  const parsed = ConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    file,
    parsed.error.issues.flatMap((issue) => {
      // An unknown key is reported at its own path with its own value, not its parent's.
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      const message = issue.code === 'unrecognized_keys' ? 'unknown key (misspelt, or not supported here)' : issue.message;
      return paths.map((p) => `${p.map(String).join('.') || '(top level)'} = ${JSON.stringify(valueAt(raw, p)) ?? '(missing)'}: ${message}`);
    }),
  );
}

function valueAt(root: unknown, p: PropertyKey[]): unknown {
  let v = root;
  for (const k of p) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}
