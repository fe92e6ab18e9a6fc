'use client';
// The Recharts charts, loaded after the page has hydrated: the page answers input before the
// chart library (the largest script) is parsed. Callers wrap them in a box of fixed height,
// which the placeholder fills, so nothing shifts when the chart arrives.
import dynamic from 'next/dynamic';

const placeholder = () => <div className="skeleton" style={{ height: '100%' }} aria-hidden="true" />;

export const LazyBandChart = dynamic(() => import('./band-chart').then((m) => m.BandChart), { ssr: false, loading: placeholder });
export const LazyVolumeChart = dynamic(() => import('./volume-chart').then((m) => m.VolumeChart), { ssr: false, loading: placeholder });
