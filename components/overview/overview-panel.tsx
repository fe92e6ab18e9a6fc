'use client';
// The overview container: range picker, tiles, volume and drift charts with episodes, and
// the per-service breakdown. Owns the queries and their loading / error / empty states.
// Live refresh keeps the previous data on screen while the next answer arrives.
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { LazyVolumeChart } from '@/components/charts/lazy-charts';
import { ErrorState, Loading } from '@/components/ui/states';
import { useHydrated } from '@/components/ui/time';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useViewState } from '@/components/ui/use-view-state';
import { FLAGS } from '@/lib/analysis/flags';
import { FLAG_LABEL, toTiles, toVolumeSeries } from '@/lib/format/signals';
import { formatClock, formatDateTime } from '@/lib/format/time';
import { rangeParams } from '@/lib/format/time-range';
import { anomalyListQuery } from '@/lib/queries/anomalies';
import { bandsQuery, breakdownQuery } from '@/lib/queries/signals';
import { BreakdownTable } from './breakdown-table';
import { DriftCard } from './drift-card';
import { Tiles } from './tiles';

export const LIVE_MS = 15_000;

export function OverviewPanel() {
  const view = useViewState('6h');
  // Marks the moment the overview answers input (hydrated), for bench:ui and e2e.
  const hydrated = useHydrated();
  const service = view.get('service');
  const refetch = view.live ? LIVE_MS : false;
  const bands = useQuery(bandsQuery({ range: view.range, service }, refetch));
  const breakdown = useQuery(breakdownQuery(view.range, refetch));
  const anomalies = useQuery(anomalyListQuery({ range: view.range }, refetch));
  const onZoom = useCallback((from: number, to: number) => view.set(rangeParams({ from, to })), [view]);
  const buckets = useMemo(() => bands.data?.buckets ?? [], [bands.data]);
  const stepMs = (bands.data?.step_minutes ?? 1) * 60_000;
  const tiles = useMemo(() => toTiles(buckets, bands.data?.step_minutes ?? 1), [buckets, bands.data?.step_minutes]);
  const volume = useMemo(() => toVolumeSeries(buckets), [buckets]);
  const episodesOf = useMemo(() => {
    const list = (anomalies.data?.anomalies ?? []).filter((a) => (service ? a.service === service : true));
    return Object.fromEntries(
      FLAGS.map((f) => [
        f,
        list.filter((a) => a.signal === f).map((a) => ({
          id: a.id,
          from: Date.parse(a.start),
          to: Date.parse(a.resolved_at ?? a.last_anomalous) + 60_000,
          label: `${FLAG_LABEL[a.signal]}${a.service ? ` on ${a.service}` : ' (all services)'}, ${formatDateTime(a.start, view.tz)}–${a.resolved_at ? formatClock(a.resolved_at, view.tz) : 'now'} (${a.status})`,
        })),
      ]),
    );
  }, [anomalies.data, service, view.tz]);

  return (
    <div data-hydrated={hydrated ? '1' : undefined} data-testid="overview">
      <TimeRangePicker view={view} fetching={bands.isFetching || breakdown.isFetching} />
      {service && (
        <p>
          Showing service <strong>{service}</strong>.{' '}
          <button type="button" onClick={() => view.set({ service: null })}>Show all services</button>
        </p>
      )}
      {bands.isPending ? <Loading height={104} label="Loading tiles" /> : bands.isError ? <ErrorState error={bands.error} height={104} retry={() => void bands.refetch()} /> : <Tiles tiles={tiles} />}
      <div className="grid2">
        <section className="card" aria-labelledby="chart-volume">
          <h3 id="chart-volume">Events and transactions</h3>
          <p className="muted small" style={{ margin: 0 }}>Per {bands.data?.step_minutes ?? 1} min bucket. Drag across any chart to zoom into that time range.</p>
          {bands.isPending ? <Loading /> : bands.isError ? <ErrorState error={bands.error} height={200} /> : <div style={{ height: 200 }}><LazyVolumeChart points={volume} tz={view.tz} stepMs={stepMs} onZoom={onZoom} /></div>}
        </section>
        {FLAGS.map((f) =>
          bands.data ? (
            <DriftCard key={f} flag={f} buckets={buckets} episodes={episodesOf[f] ?? []} tz={view.tz} stepMs={stepMs} onZoom={onZoom} />
          ) : (
            <section className="card" key={f}>
              <h3>{FLAG_LABEL[f]}</h3>
              {bands.isError ? <ErrorState error={bands.error} height={200} /> : <Loading />}
            </section>
          ),
        )}
      </div>
      <h2>Per service</h2>
      <p className="muted small">Flagged transactions per service over the range; the top row drives the drift. Select a service to chart it alone.</p>
      {breakdown.isPending ? (
        <Loading height={120} />
      ) : breakdown.isError ? (
        <ErrorState error={breakdown.error} retry={() => void breakdown.refetch()} />
      ) : (
        <BreakdownTable services={breakdown.data.services} selected={service} onSelect={(s) => view.set({ service: s })} />
      )}
    </div>
  );
}
