// `txdrift detect`: scores a CSV time series read line by line from a file or standard input
// and writes one scored row per input row to standard output as soon as the row is read. The
// parsing, scoring and formatting are pure (lib/detect/csv.ts); this is argument handling and I/O.
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CsvError, CsvScorer, SAMPLE } from '@/lib/detect/csv';
import type { Io } from './io';

export const DETECT_SUMMARY = 'score a CSV time series for anomalies, row by row (streaming)';

export const DETECT_HELP = `Usage: txdrift detect [--input FILE] [--period N] [--threshold P]

Scores every row of a time series for anomalies. Streaming: a row's score depends only on
that row and the rows before it, and each row is written as soon as it is read.

Input: CSV from FILE, or from standard input when --input is absent or "-", with a header
  timestamp,value          a level (latency, queue depth, CPU, a rate, ...)
  timestamp,count,total    per bucket, count flagged out of total (value = count/total)
Timestamps: ISO 8601 with "T" or a space, seconds optional, zone optional (UTC when
absent), e.g. 2024-05-01T12:00:00Z, 2024-05-01 12:00:00.250+02:00; or epoch seconds or
milliseconds (values from 1e11 on are milliseconds). Rows must be in time order; gaps are
fine. An empty, NaN or null value is missing: written with an empty value and a score of 0.

Output: CSV on standard output, one row per input row, in order, with the header
  timestamp,value,anomaly_score,is_anomaly
  timestamp      copied exactly as given
  value          the value, or count/total (0 when total is 0)
  anomaly_score  0 (ordinary) to 1 (p <= 1e-12) on a log scale: 0.5 is p = 1e-6; up to 6
                 significant digits; 0 while warming up (the first 10 rows)
  is_anomaly     true or false: a spike or dip (p <= threshold), or a sustained shift
                 (CUSUM), which can be anomalous with a modest score

Options:
  -i, --input FILE read FILE instead of standard input
  --period N       buckets per day, for the daily cycle; 0 turns seasonality off. Default:
                   inferred from the first ${SAMPLE} timestamps when the bucket is 1 minute to
                   1 hour and divides a day (1440 for 1-minute data), otherwise off
  --threshold P    p-value at or below which a row is anomalous (default 1e-6)
  -h, --help       show this help

Errors go to standard error as "line N: ..." and exit with status 2: a bad header before
any output; a bad row after the rows before it have been written.
`;

export async function detect(argv: string[], io: Io): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`txdrift detect: ${message}\n`);
    return 2;
  };
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        input: { type: 'string', short: 'i' },
        period: { type: 'string' },
        threshold: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return fail(`${(e as Error).message}\nRun "txdrift detect --help" for usage.`);
  }
  if (args.help) {
    io.stdout.write(DETECT_HELP);
    return 0;
  }
  if (args.period !== undefined && !/^\d+$/.test(args.period)) return fail(`--period: expected a whole number of buckets per day (0 = none), got "${args.period}"`);
  const threshold = args.threshold === undefined ? 1e-6 : Number(args.threshold);
  if (!(threshold > 0 && threshold < 1)) return fail(`--threshold: expected a p-value between 0 and 1 (e.g. 1e-6), got "${args.threshold}"`);

  let input = io.stdin;
  const file = args.input !== undefined && args.input !== '-' ? args.input : null;
  if (file !== null) {
    try {
      input = (await open(file)).createReadStream({ encoding: 'utf8' });
    } catch (e) {
      return fail(`cannot read ${file}: ${(e as Error).message}`);
    }
  } else if (io.stdin.isTTY) {
    io.stderr.write('txdrift detect: reading CSV from standard input (end with Ctrl-D; --help for usage)\n');
  }

  const scorer = new CsvScorer({ period: args.period === undefined ? undefined : Number(args.period), threshold });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const text of lines) {
      lineNo++;
      const out = scorer.line(text, lineNo);
      if (out !== null && !io.stdout.write(`${out}\n`)) await once(io.stdout, 'drain');
    }
    scorer.finish(lineNo);
    return 0;
  } catch (e) {
    if (e instanceof CsvError) return fail(e.message);
    throw e;
  } finally {
    lines.close();
    if (file !== null) input.destroy();
  }
}
