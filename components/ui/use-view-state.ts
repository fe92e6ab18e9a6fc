'use client';
// Every view's state lives in the URL (range, filters, selection, time zone, live), so a
// link pasted into the incident channel opens the same view. Changes push a history entry.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { TimeZoneMode } from '@/lib/format/time';
import { rangeFromParams, type QuickRange, type RangeSpec } from '@/lib/format/time-range';

export interface ViewState {
  get: (key: string) => string | undefined;
  set: (patch: Record<string, string | null | undefined>) => void;
  range: RangeSpec;
  tz: TimeZoneMode;
  /** Refreshing on an interval: quick ranges only, unless paused with live=0. */
  live: boolean;
}

export function useViewState(defaultRange: QuickRange = '6h'): ViewState {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  // A push lands asynchronously: a second change made before it lands must build on it, not
  // on the params of this render (or it would undo the first).
  const pending = useRef<string | null>(null);
  useEffect(() => {
    pending.current = null;
  }, [params]);
  const set = useCallback(
    (patch: Record<string, string | null | undefined>) => {
      const next = new URLSearchParams(pending.current ?? params.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === undefined || v === '') next.delete(k);
        else next.set(k, v);
      }
      const s = next.toString();
      pending.current = s;
      router.push(s ? `${pathname}?${s}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );
  return useMemo(() => {
    const range = rangeFromParams((k) => params.get(k), defaultRange);
    return {
      get: (k: string) => params.get(k) ?? undefined,
      set,
      range,
      tz: params.get('tz') === 'local' ? 'local' : 'utc',
      live: 'quick' in range && params.get('live') !== '0',
    };
  }, [params, set, defaultRange]);
}
