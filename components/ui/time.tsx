'use client';
// A time in UTC or the viewer's zone. The server cannot know the viewer's zone, so local
// times render as UTC first and switch after hydration (no hydration mismatch).
import { useSyncExternalStore } from 'react';
import { formatDateTime, formatPrecise, type TimeZoneMode } from '@/lib/format/time';

const subscribe = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false);
}

export function Time({ value, tz, precise = false }: { value: string | number; tz: TimeZoneMode; precise?: boolean }) {
  const hydrated = useHydrated();
  const zone: TimeZoneMode = hydrated ? tz : 'utc';
  const iso = new Date(value).toISOString();
  return <time dateTime={iso}>{precise ? formatPrecise(value, zone) : formatDateTime(value, zone)}</time>;
}
