// Detection after each analysis pass: every flag × service series (and all services
// together) over the last 2–3 days of minutes is scored by the streaming detector and cut
// into episodes. Episodes have stable ids (signal, service, start), so re-scoring updates
// them instead of opening new ones; evidence (affected transactions, attribution) is
// computed when an episode is new or changed. Divergence is judged on settled
// transactions only (total − unsettled), so late data never looks like divergence.
import 'server-only';
import { createHash } from 'node:crypto';
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import { RateDetector, type Verdict } from '@/lib/detect/detector';
import { EpisodeTracker, type Episode } from '@/lib/detect/episodes';
import { affectedTransactions, attribution, listAnomalies, minuteSeries, upsertAnomalies, type AnomalyRecord, type MinuteRow } from './clickhouse/anomalies';
import { isoFromMicros } from './clickhouse/transactions';
import type { Runtime } from './runtime';

const MIN = 60_000;
const DAY = 86_400_000;

export interface DetectionSummary {
  series: number;
  episodes: number;
  opened: number;
  resolved: number;
  duration_ms: number;
}

export async function runDetection(rt: Runtime, nowMs = Date.now()): Promise<DetectionSummary> {
  const started = performance.now();
  const cfg = rt.config.detection;
  // Whole days of history (2 to 3) so the seasonal baseline can engage and episode starts are stable within a day.
  const fromMs = Math.floor(nowMs / DAY) * DAY - 2 * DAY;
  const lastMinute = Math.floor(nowMs / MIN) * MIN;
  const rows = await minuteSeries(rt.db, fromMs);
  const byService = new Map<string, Map<number, MinuteRow>>();
  for (const r of rows) {
    if (!byService.has(r.service)) byService.set(r.service, new Map());
    byService.get(r.service)!.set(r.minute_ms, r);
  }

  const found: { flag: FlagName; service: string; episode: Episode; kind: string }[] = [];
  for (const [service, minutes] of byService) {
    for (const flag of FLAGS) {
      const detector = new RateDetector({ period: 1440, log10Threshold: Math.log10(cfg.threshold) });
      const tracker = new EpisodeTracker({ openN: cfg.open_n, openM: cfg.open_m, resolveAfter: cfg.resolve_after });
      const rule = cfg.rules.find((r) => r.signal === flag && (r.service ?? '') === service);
      let kind = 'spike';
      for (let m = fromMs; m <= lastMinute; m += MIN) {
        const row = minutes.get(m);
        const count = row?.counts[flag] ?? 0;
        const total = (row?.transactions ?? 0) - (flag === 'divergence' ? (row?.unsettled ?? 0) : 0);
        let verdict: Verdict = detector.push(count, Math.max(0, total));
        if (rule && count >= rule.min_count) verdict = { ...verdict, anomalous: true, score: 1, kind: 'rule' };
        if (verdict.anomalous && verdict.kind) kind = verdict.kind;
        const event = tracker.push(m, verdict, count, Math.max(0, total));
        if (event?.type === 'resolved') found.push({ flag, service, episode: event.episode, kind });
      }
      if (tracker.current) found.push({ flag, service, episode: tracker.current, kind });
    }
  }

  const stored = new Map((await listAnomalies(rt.db, { from: fromMs, to: nowMs + MIN })).map((a) => [a.id, a]));
  const records: AnomalyRecord[] = [];
  for (const f of found) {
    const id = anomalyId(f.flag, f.service, f.episode.startMs);
    const previous = stored.get(id);
    stored.delete(id);
    const next = await toRecord(rt, id, f, previous);
    if (next) records.push(next);
  }
  // Open episodes the re-scored data no longer supports (e.g. late events cleared the flags): resolved now.
  for (const gone of stored.values()) {
    if (gone.status === 'open') records.push({ ...gone, status: 'resolved', resolved_at: new Date(nowMs).toISOString() });
  }
  await upsertAnomalies(rt.db, records, nowMs);
  return {
    series: byService.size * FLAGS.length,
    episodes: found.length,
    opened: records.filter((r) => r.status === 'open' && !r.resolved_at).length,
    resolved: records.filter((r) => r.status === 'resolved').length,
    duration_ms: Math.round(performance.now() - started),
  };
}

export function anomalyId(flag: FlagName, service: string, startMs: number): string {
  return `anm_${createHash('sha256').update(`${flag}\u0000${service}\u0000${startMs}`).digest('hex').slice(0, 16)}`;
}

/** The stored form of an episode; null when nothing changed since it was last stored. */
async function toRecord(
  rt: Runtime,
  id: string,
  f: { flag: FlagName; service: string; episode: Episode; kind: string },
  previous: AnomalyRecord | undefined,
): Promise<AnomalyRecord | null> {
  const e = f.episode;
  const status = e.resolvedMs === null ? 'open' : 'resolved';
  const lastAnomalous = isoFromMicros(e.lastAnomalousMs * 1000);
  if (previous && previous.status === status && previous.last_anomalous === lastAnomalous && status === 'resolved') return null;
  const endMs = e.lastAnomalousMs + MIN;
  const affected = await affectedTransactions(rt.db, f.flag, f.service, e.startMs, endMs, { limit: 20 });
  const attributed = await attribution(rt.db, f.flag, f.service, e.startMs, endMs);
  return {
    id,
    signal: f.flag,
    service: f.service,
    status,
    kind: f.kind,
    start: isoFromMicros(e.startMs * 1000),
    last_anomalous: lastAnomalous,
    resolved_at: e.resolvedMs === null ? null : isoFromMicros(e.resolvedMs * 1000),
    peak_score: e.peakScore,
    observed: e.observed,
    expected: e.expected,
    lower: e.lower,
    upper: e.upper,
    sample_size: e.sampleSize,
    flagged: e.count,
    anomalous_buckets: e.anomalousBuckets,
    affected: affected.total,
    sample_tx_ids: affected.tx_ids,
    attribution: attributed,
  };
}
