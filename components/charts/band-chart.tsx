'use client';
// Presentational drift chart: observed rate against the detector's expected band, anomaly
// episodes as shaded spans (clickable), drag to zoom. Props in, SVG out; memoised.
import { memo, useMemo } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPercent } from '@/lib/format/number';
import { rateAxisMax, type RatePoint } from '@/lib/format/signals';
import { formatDateTime, timeAxis, type TimeZoneMode } from '@/lib/format/time';
import { useDragZoom } from './use-drag-zoom';

export interface EpisodeSpan { id: string; from: number; to: number; label: string }

export interface BandChartProps {
  points: RatePoint[];
  episodes: EpisodeSpan[];
  tz: TimeZoneMode;
  stepMs: number;
  height?: number;
  onZoom?: (from: number, to: number) => void;
  onEpisode?: (id: string) => void;
  /** A span to shade without a link (the anomaly page's own episode). */
  highlight?: { from: number; to: number } | null;
}

export const BandChart = memo(function BandChart({ points, episodes, tz, stepMs, height = 200, onZoom, onEpisode, highlight }: BandChartProps) {
  const times = useMemo(() => points.map((p) => p.t), [points]);
  const { selection, handlers } = useDragZoom(times, stepMs, onZoom);
  const { domain, tick } = useMemo(() => timeAxis(times, stepMs, tz), [times, stepMs, tz]);
  const yMax = useMemo(() => rateAxisMax(points), [points]);
  return (
    <div style={{ height }} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} {...handlers}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={domain} tickFormatter={tick} stroke="var(--muted)" fontSize={11} minTickGap={40} />
          <YAxis domain={[0, yMax]} allowDataOverflow tickFormatter={(v: number) => formatPercent(v)} stroke="var(--muted)" fontSize={11} width={56} />
          <Tooltip
            labelFormatter={(t) => formatDateTime(Number(t), tz)}
            formatter={(v, name) => [Array.isArray(v) ? `${formatPercent(Number(v[0]))} – ${formatPercent(Number(v[1]))}` : formatPercent(Number(v)), name]}
            contentStyle={{ background: 'var(--bg)', border: '1px solid var(--border)' }}
          />
          {episodes.map((e) => (
            <ReferenceArea key={e.id} x1={e.from} x2={e.to} fill="var(--episode)" ifOverflow="hidden" style={{ cursor: onEpisode ? 'pointer' : undefined }} onClick={() => onEpisode?.(e.id)} />
          ))}
          {highlight && <ReferenceArea x1={highlight.from} x2={highlight.to} fill="var(--episode)" ifOverflow="hidden" />}
          <Area dataKey="band" name="normal range" stroke="none" fill="var(--band)" isAnimationActive={false} connectNulls />
          <Line dataKey="expected" name="expected" stroke="var(--expected)" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
          <Line dataKey="observed" name="observed" stroke="var(--line)" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
          {selection && <ReferenceArea x1={selection.x1} x2={selection.x2} fill="var(--accent)" fillOpacity={0.15} />}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
