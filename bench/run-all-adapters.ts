// The figures `npm run bench` keeps from each benchmark's --json output. Benchmarks written
// for it (latency, ui, cli) already write { bench, quick, date, metrics }; the older ones
// keep their own richer shape, read here.
export interface Metric {
  name: string;
  value: number;
  unit: string;
  target?: number;
  met?: boolean;
  /** Which way the target points (shown as ≥ or ≤); unknown when absent. */
  better?: 'higher' | 'lower';
}

type Json = Record<string, unknown>;

function ingest(j: Json): Metric[] {
  const n = (k: string) => Number(j[k]);
  return [
    { name: `ingest of ${n('events').toLocaleString('en-US')} events, committed in ClickHouse`, value: n('ingest_events_per_s'), unit: 'events/s' },
    { name: 'acknowledged (durable in the spool)', value: n('acked_events_per_s'), unit: 'events/s' },
    { name: 'request latency p50 (1,000 events a request)', value: n('p50_ms'), unit: 'ms' },
    { name: 'request latency p99', value: n('p99_ms'), unit: 'ms' },
    { name: 'ingest server peak RSS', value: n('peak_rss_mb'), unit: 'MB' },
    { name: 'ratio ingest / engine bulk load', value: n('ratio'), unit: '', target: 0.6, met: n('ratio') >= 0.6, better: 'higher' },
    { name: 'events stored of those sent', value: n('stored_rows'), unit: `of ${n('events').toLocaleString('en-US')}`, met: n('stored_rows') === n('events') },
  ];
}

function analysis(j: Json): Metric[] {
  const summary = j.summary as { sizes: Json[]; incremental_growth?: { ratio: number; target: number; meets_target: boolean; from: number; to: number } };
  const out: Metric[] = summary.sizes.flatMap((s) => {
    const size = Number(s.size).toLocaleString('en-US');
    return [
      { name: `full pass over ${size} events`, value: Number(s.full_transactions_per_s), unit: 'transactions/s', target: 1_000_000, met: Boolean(s.full_meets_target), better: 'higher' as const },
      { name: `incremental pass after ${size} events (median)`, value: Number(s.incremental_ms), unit: 'ms' },
    ];
  });
  const g = summary.incremental_growth;
  if (g) out.push({ name: `incremental pass growth, ${g.from.toLocaleString('en-US')} → ${g.to.toLocaleString('en-US')} events`, value: g.ratio, unit: '×', target: g.target, met: g.meets_target, better: 'lower' });
  return out;
}

function detect(j: Json): Metric[] {
  // The product passes period 1440 (lib/server/detection.ts): the `period` configuration.
  const configs = j.configs as { name: string; totals: { precision: number; recall: number; f1: number }; targets: Record<string, { target: number; value: number; met: boolean }>; timing: { bucketsPerS: number } }[];
  const c = configs.find((x) => x.name === 'period') ?? configs[0]!;
  return [
    { name: 'F1 on injected anomalies', value: c.targets.f1!.value, unit: '', target: c.targets.f1!.target, met: c.targets.f1!.met, better: 'higher' },
    { name: 'precision / recall', value: c.totals.precision, unit: `/ ${c.totals.recall}` },
    { name: 'false episodes per clean series-week (max)', value: c.targets.falsePerWeek!.value, unit: '', target: c.targets.falsePerWeek!.target, met: c.targets.falsePerWeek!.met, better: 'lower' },
    { name: 'scoring speed', value: c.timing.bucketsPerS, unit: 'buckets/s' },
  ];
}

export const ADAPTERS: Record<string, (j: Json) => Metric[]> = { ingest, analysis, detect };
