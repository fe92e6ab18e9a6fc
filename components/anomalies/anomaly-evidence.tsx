// The episode's evidence in words and numbers, and its attribution table.
import { formatCount, formatPercent } from '@/lib/format/number';
import { evidenceSentence } from '@/lib/format/signals';
import type { Anomaly } from '@/lib/queries/anomalies';

/** 0.5 is p = 1e-6 (the default threshold); 1 is p ≤ 1e-12. */
function scoreWords(score: number): string {
  const p = Math.pow(10, -score * 12);
  return `score ${score.toFixed(2)} — by chance about 1 in ${p >= 1e-12 ? formatCount(Math.round(1 / p)) : 'a trillion or more'}`;
}

export function AnomalyEvidence({ a }: { a: Anomaly }) {
  return (
    <section aria-label="Evidence">
      <p className="sentence" data-testid="evidence">{evidenceSentence(a)}</p>
      <table style={{ maxWidth: 640 }}>
        <tbody>
          <tr><th>Observed rate</th><td className="num">{formatPercent(a.observed)}</td></tr>
          <tr><th>Expected rate (normal range)</th><td className="num">{formatPercent(a.expected)} ({formatPercent(a.lower)} – {formatPercent(a.upper)})</td></tr>
          <tr><th>Peak</th><td className="num">{scoreWords(a.peak_score)}</td></tr>
          <tr><th>Sample</th><td className="num">{formatCount(a.sample_size)} transactions judged, {formatCount(a.anomalous_buckets)} anomalous minutes, kind {a.kind}</td></tr>
        </tbody>
      </table>
    </section>
  );
}

export function AttributionTable({ rows }: { rows: Anomaly['attribution'] }) {
  if (rows.length === 0) return <p className="muted">No attribute value stands out among the affected transactions (none held by 20% of them at 1.5× its usual share).</p>;
  return (
    <table data-testid="attribution" style={{ maxWidth: 640 }}>
      <thead><tr><th>Attribute</th><th>Value</th><th className="num">Share of affected</th><th className="num">Lift vs before</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.key}=${r.value}`}>
            <td>{r.key}</td><td>{r.value}</td><td className="num">{formatPercent(r.share)}</td><td className="num">{r.lift.toFixed(1)}×</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
