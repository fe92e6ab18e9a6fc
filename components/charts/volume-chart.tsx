'use client';
// Presentational volume chart: events and transactions per bucket, drag to zoom. Memoised.
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '@/lib/format/number';
import type { VolumePoint } from '@/lib/format/signals';
import { formatDateTime, timeAxis, type TimeZoneMode } from '@/lib/format/time';
import { useDragZoom } from './use-drag-zoom';

export const VolumeChart = memo(function VolumeChart({ points, tz, stepMs, height = 200, onZoom }: { points: VolumePoint[]; tz: TimeZoneMode; stepMs: number; height?: number; onZoom?: (from: number, to: number) => void }) {
  const times = useMemo(() => points.map((p) => p.t), [points]);
  const { selection, handlers } = useDragZoom(times, stepMs, onZoom);
  const { domain, tick } = useMemo(() => timeAxis(times, stepMs, tz), [times, stepMs, tz]);
  return (
    <div style={{ height }} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} {...handlers}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={domain} tickFormatter={tick} stroke="var(--muted)" fontSize={11} minTickGap={40} />
          <YAxis tickFormatter={(v: number) => formatCount(v)} stroke="var(--muted)" fontSize={11} width={56} />
          <Tooltip labelFormatter={(t) => formatDateTime(Number(t), tz)} formatter={(v, name) => [formatCount(Number(v)), name]} contentStyle={{ background: 'var(--bg)', border: '1px solid var(--border)' }} />
          <Line dataKey="events" name="events" stroke="var(--line)" dot={false} isAnimationActive={false} />
          <Line dataKey="transactions" name="transactions" stroke="var(--line2)" dot={false} isAnimationActive={false} />
          {selection && <ReferenceArea x1={selection.x1} x2={selection.x2} fill="var(--accent)" fillOpacity={0.15} />}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
