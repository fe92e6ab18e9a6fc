import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '@/lib/server/config-file';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema, EMPTY_CONFIG } from '@/lib/domain/config';
import { PAYMENT_MODEL } from '@/test/support/models';

const DESIGN_YAML = `models:
  payment:
    states: [pending, authorized, captured, settled, failed, voided]
    transitions:
      pending: [authorized, failed, voided]
      authorized: [captured, failed, voided]
      captured: [settled, failed]
    terminal: [settled, failed, voided]
    participants: [edge, payments, ledger]
    agree: [payments, ledger]
    settle_after: 5m
    repeatable: [notify]
max_clock_skew: 0ms
`;

/** DESIGN.md's payment model as an object (the YAML above says the same). */
const PAYMENT = PAYMENT_MODEL;

/** What an absent `detection` section means. */
const DETECTION_DEFAULTS = { threshold: 1e-6, open_n: 2, open_m: 3, resolve_after: 5, rules: [] };
/** What an absent `alerting` section means. */
const ALERTING_DEFAULTS = { destinations: [], rules: [] };
const EMPTY = { models: {}, max_clock_skew: 0, detection: DETECTION_DEFAULTS, alerting: ALERTING_DEFAULTS };

const EXPECTED = {
  models: { payment: { ...PAYMENT, settle_after: 300_000 } },
  max_clock_skew: 0,
  detection: DETECTION_DEFAULTS,
  alerting: ALERTING_DEFAULTS,
};

function configError(raw: unknown): ConfigError {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected parseConfig(${JSON.stringify(raw)}) to throw`);
}

const withPayment = (patch: Record<string, unknown>) => ({ models: { payment: { ...PAYMENT, ...patch } } });

describe('ConfigSchema', () => {
  it('parses the DESIGN example model', () => {
    expect(ConfigSchema.parse({ models: { payment: PAYMENT }, max_clock_skew: '0ms' })).toEqual(EXPECTED);
  });

  it('fills defaults for omitted fields', () => {
    expect(ConfigSchema.parse({ models: { order: { states: ['open'] } } })).toEqual({
      models: {
        order: { states: ['open'], transitions: {}, terminal: [], participants: [], agree: [], settle_after: 300_000, repeatable: [] },
      },
      max_clock_skew: 0,
      detection: DETECTION_DEFAULTS,
      alerting: ALERTING_DEFAULTS,
    });
    expect(EMPTY_CONFIG).toEqual(EMPTY);
  });

  it('accepts durations as milliseconds too', () => {
    const c = ConfigSchema.parse({ models: { order: { states: ['open'], settle_after: 1500 } }, max_clock_skew: '250ms' });
    expect(c.models.order?.settle_after).toBe(1500);
    expect(c.max_clock_skew).toBe(250);
  });

  it('agree without participants is allowed (participants unknown)', () => {
    expect(ConfigSchema.parse(withPayment({ participants: [] })).models.payment?.agree).toEqual(['payments', 'ledger']);
  });
});

describe('parseConfig errors name the key path and the bad value', () => {
  it.each([
    [
      'a transition to an unknown state',
      withPayment({ transitions: { pending: ['authorized', 'refunded'] } }),
      'models.payment.transitions.pending.1 = "refunded": "refunded" is not one of the model\'s states (pending, authorized, captured, settled, failed, voided)',
    ],
    [
      'a transition from an unknown state',
      withPayment({ transitions: { refunding: ['settled'] } }),
      'models.payment.transitions.refunding = ["settled"]: "refunding" is not one of the model\'s states',
    ],
    [
      'a terminal state not in states',
      withPayment({ terminal: ['settled', 'expired'] }),
      'models.payment.terminal.1 = "expired": "expired" is not one of the model\'s states',
    ],
    [
      'an agree service missing from participants',
      withPayment({ agree: ['payments', 'billing'] }),
      'models.payment.agree.1 = "billing": "billing" must also be listed in participants',
    ],
    [
      'a bad settle_after',
      withPayment({ settle_after: '5 minutes' }),
      'models.payment.settle_after = "5 minutes": expected a duration such as 250ms, 30s, 5m, 2h or 7d, got "5 minutes"',
    ],
    [
      'a bad max_clock_skew',
      { models: {}, max_clock_skew: 'lots' },
      'max_clock_skew = "lots": expected a duration such as 250ms, 30s, 5m, 2h or 7d, got "lots"',
    ],
    ['a model without states', { models: { payment: { states: [] } } }, 'models.payment.states = []: '],
  ])('%s', (_label, raw, problem) => {
    const err = configError(raw);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.startsWith(problem)).toBe(true);
    expect(err.file).toBe('(inline)');
    expect(err.message).toContain(`\n  - ${err.problems[0]}`);
  });

  it('an unknown top-level key is refused and named', () => {
    const err = configError({ models: {}, max_clock_skw: '5s' });
    expect(err.problems).toHaveLength(1);
    expect(err.problems).toEqual(['max_clock_skw = "5s": unknown key (misspelt, or not supported here)']);
  });

  it('an unknown key inside a model is refused and named', () => {
    const err = configError(withPayment({ settle_afer: '5m' }));
    expect(err.problems).toHaveLength(1);
    expect(err.problems).toEqual(['models.payment.settle_afer = "5m": unknown key (misspelt, or not supported here)']);
  });

  it('lists every problem of a model at once', () => {
    const err = configError(withPayment({ terminal: ['expired'], agree: ['billing'], transitions: { pending: ['gone'] } }));
    expect(err.problems.map((p) => p.split(' = ')[0])).toEqual(['models.payment.transitions.pending.0', 'models.payment.terminal.0', 'models.payment.agree.0']);
  });

  it('a non-object document is refused at the top level', () => {
    expect(configError([1, 2]).problems[0]).toMatch(/^\(top level\) = \[1,2\]: /);
  });
});

describe('loadConfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'txdrift-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('without a file gives the empty config', () => {
    expect(loadConfig(undefined)).toEqual(EMPTY);
    expect(loadConfig('')).toEqual(EMPTY);
  });

  it.each([['txdrift.yaml'], ['txdrift.yml']])('reads YAML (%s)', (name) => {
    expect(loadConfig(write(name, DESIGN_YAML))).toEqual(EXPECTED);
  });

  it('reads JSON', () => {
    const file = write('txdrift.json', JSON.stringify({ models: { payment: PAYMENT }, max_clock_skew: '0ms' }, null, 2));
    expect(loadConfig(file)).toEqual(EXPECTED);
  });

  it('an empty YAML file is the empty config', () => {
    expect(loadConfig(write('empty.yaml', ''))).toEqual(EMPTY);
  });

  it('a missing file gives a ConfigError naming the file', () => {
    const file = path.join(dir, 'missing.yaml');
    let err: unknown;
    try {
      loadConfig(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).file).toBe(file);
    expect((err as ConfigError).problems).toHaveLength(1);
    expect((err as ConfigError).problems[0]).toMatch(/^cannot read or parse the file: ENOENT/);
    expect((err as ConfigError).message).toContain(`Invalid TXDRIFT_CONFIG ${file}`);
  });

  it('malformed JSON gives a ConfigError, not a crash', () => {
    const file = write('broken.json', '{"models": ');
    expect(() => loadConfig(file)).toThrow(ConfigError);
    expect(() => loadConfig(file)).toThrow(/cannot read or parse the file/);
  });

  it('schema problems in a file carry the file name', () => {
    const file = write('bad.yaml', 'models:\n  payment:\n    states: [a]\n    terminal: [b]\n');
    expect(() => loadConfig(file)).toThrow(ConfigError);
    try {
      loadConfig(file);
    } catch (e) {
      expect((e as ConfigError).file).toBe(file);
      expect((e as ConfigError).problems).toEqual(['models.payment.terminal.0 = "b": "b" is not one of the model\'s states (a)']);
    }
  });
});

describe('detection section', () => {
  it('takes absolute rules and episode settings', () => {
    const c = ConfigSchema.parse({ detection: { rules: [{ signal: 'duplicate_execution', service: 'payments' }], open_n: 1, open_m: 1 } });
    expect(c.detection).toEqual({ ...DETECTION_DEFAULTS, open_n: 1, open_m: 1, rules: [{ signal: 'duplicate_execution', service: 'payments', min_count: 1 }] });
  });

  it('names a bad rule and an impossible N-of-M', () => {
    expect(configError({ detection: { rules: [{ signal: 'dupes' }] } }).problems[0]).toMatch(/^detection\.rules\.0\.signal = "dupes": expected one of duplicate_delivery/);
    expect(configError({ detection: { open_n: 4, open_m: 3 } }).problems[0]).toMatch(/^detection\.open_n = 4: open_n must not exceed open_m/);
  });
});

describe('alerting section', () => {
  it('takes destinations with secrets named by environment variable, and rules with durations', () => {
    const c = ConfigSchema.parse({
      alerting: {
        destinations: [{ id: 'ops', name: 'ops', type: 'webhook', url: 'https://hooks.example.com/x', secret_env: 'OPS_SECRET' }],
        rules: [{ id: 'page', name: 'page', match: { signal: 'ordering' }, destinations: ['ops'], group_wait: '30s', repeat_interval: '4h' }],
      },
    });
    expect(c.alerting.rules[0]).toMatchObject({ group_wait: 30_000, repeat_interval: 14_400_000, match: { signal: 'ordering', service: null }, enabled: true });
    expect(c.alerting.destinations[0]).toMatchObject({ secret_env: 'OPS_SECRET', enabled: true });
  });

  it('names a rule pointing at no destination, and a destination without its url or key', () => {
    const err = configError({
      alerting: {
        destinations: [{ id: 'ops', name: 'ops', type: 'slack' }, { id: 'pd', name: 'pd', type: 'pagerduty' }],
        rules: [{ id: 'r', name: 'r', destinations: ['opps'] }],
      },
    });
    expect(err.problems).toEqual(expect.arrayContaining([
      'alerting.destinations.0.url = (missing): url or url_env is required for type slack',
      'alerting.destinations.1.routing_key_env = (missing): required for type pagerduty',
      'alerting.rules.0.destinations.0 = "opps": no destination "opps" in alerting.destinations (ops, pd)',
    ]));
  });

  it('refuses an inline secret and names a bad type', () => {
    const err = configError({ alerting: { destinations: [{ id: 'ops', name: 'ops', type: 'sms', secret: 'whsec_x' }] } });
    expect(err.problems).toContain('alerting.destinations.0.secret = "whsec_x": unknown key (misspelt, or not supported here)');
    expect(err.problems.join('\n')).toMatch(/alerting\.destinations\.0\.type = "sms": expected one of webhook, slack/);
  });
});
