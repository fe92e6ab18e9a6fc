'use client';
// One signal's drift chart with its anomaly episodes as links and a table alternative.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { LazyTable } from '@/components/ui/lazy-table';
import type { EpisodeSpan } from '@/components/charts/band-chart';
import { LazyBandChart } from '@/components/charts/lazy-charts';
import type { FlagName } from '@/lib/analysis/flags';
import { formatCount, formatPercent } from '@/lib/format/number';
import { FLAG_LABEL, toRateSeries, type ApiBucket } from '@/lib/format/signals';
import { formatDateTime, type TimeZoneMode } from '@/lib/format/time';

export function DriftCard({ flag, buckets, episodes, tz, stepMs, onZoom }: { flag: FlagName; buckets: ApiBucket[]; episodes: EpisodeSpan[]; tz: TimeZoneMode; stepMs: number; onZoom: (from: number, to: number) => void }) {
  const router = useRouter();
  const points = useMemo(() => toRateSeries(buckets, flag), [buckets, flag]);
  const onEpisode = useCallback((id: string) => router.push(`/anomalies/${id}`), [router]);
  const flagged = points.reduce((s, p) => s + p.count, 0);
  const total = points.reduce((s, p) => s + p.total, 0);
  return (
    <section className="card" aria-labelledby={`chart-${flag}`} data-testid={`drift-${flag}`}>
      <h3 id={`chart-${flag}`}>{FLAG_LABEL[flag]}</h3>
      <p className="muted small" style={{ margin: 0 }}>
        {formatCount(flagged)} of {formatCount(total)} transactions in this range ({formatPercent(total ? flagged / total : 0)}). Shaded band: the detector&apos;s normal range; red spans: anomaly episodes.
      </p>
      <div style={{ height: 200 }}><LazyBandChart points={points} episodes={episodes} tz={tz} stepMs={stepMs} onZoom={onZoom} onEpisode={onEpisode} /></div>
      {episodes.length > 0 && (
        <ul className="small" aria-label={`${FLAG_LABEL[flag]} episodes`}>
          {episodes.map((e) => (
            <li key={e.id}>
              <Link href={`/anomalies/${e.id}`}>{e.label}</Link>
            </li>
          ))}
        </ul>
      )}
      <LazyTable>
        {() => (
        <table>
          <thead>
            <tr><th>Bucket</th><th className="num">Flagged</th><th className="num">Transactions</th><th className="num">Rate</th><th className="num">Expected</th><th className="num">Normal range</th></tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.t} className={p.anomalous ? 'hot' : undefined}>
                <td>{formatDateTime(p.t, tz)}</td>
                <td className="num">{formatCount(p.count)}</td>
                <td className="num">{formatCount(p.total)}</td>
                <td className="num">{p.observed === null ? '—' : formatPercent(p.observed)}</td>
                <td className="num">{formatPercent(p.expected)}</td>
                <td className="num">{formatPercent(p.band[0])} – {formatPercent(p.band[1])}</td>
              </tr>
            ))}
          </tbody>
        </table>
        )}
      </LazyTable>
    </section>
  );
}
