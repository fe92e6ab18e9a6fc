// Number formatting for the UI. Pure.
const COUNT = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** 0.0123 → "1.23%"; tiny rates keep two significant digits ("0.0041%"). */
export function formatPercent(rate: number): string {
  if (rate === 0) return '0%';
  const pct = rate * 100;
  if (Math.abs(pct) >= 10) return `${pct.toFixed(1)}%`;
  if (Math.abs(pct) >= 0.1) return `${pct.toFixed(2)}%`;
  return `${Number(pct.toPrecision(2))}%`;
}

/** A ratio against a baseline in words: "3.2× baseline", "at baseline", "—" when there is none. */
export function formatChange(current: number, baseline: number): string {
  if (!(baseline > 0)) return current > 0 ? 'new (no baseline)' : '—';
  const ratio = current / baseline;
  if (ratio >= 0.9 && ratio <= 1.1) return 'at baseline';
  return ratio > 1 ? `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}× baseline` : `${Math.round((1 - ratio) * 100)}% below baseline`;
}
