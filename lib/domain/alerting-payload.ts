// The notification txdrift sends, before any receiver format: one or more anomaly episodes
// with their evidence and links back to the UI, and the one-line summary every format
// starts from. Pure.

export interface AlertAttribution {
  key: string;
  value: string;
  /** Share of the affected transactions with this value (0–1). */
  share: number;
  /** Share among affected / share among the service's other transactions. */
  lift: number;
}

export interface AlertEvidence {
  anomaly_id: string;
  /** Link to the anomaly page in the UI. */
  anomaly_url: string;
  signal: string;
  /** A service, or `all` for the all-services series. */
  service: string;
  /** The dominant tx_type among the affected transactions; null when unknown. */
  tx_type: string | null;
  status: 'open' | 'resolved';
  kind: string;
  /** The episode's anomalous window [from, to). */
  window: { from: string; to: string };
  resolved_at: string | null;
  /** Flag rate at the peak bucket vs the baseline's expectation, with the normal range. */
  observed_rate: number;
  expected_rate: number;
  bounds: { lower: number; upper: number };
  /** Peak score, 0–1 (0.5 = p ≤ 1e-6). */
  score: number;
  /** Transactions in the anomalous buckets, and how many of them carried the flag. */
  sample_size: number;
  flagged: number;
  affected_total: number;
  top_attributions: AlertAttribution[];
  /** Up to ten affected transactions, each linked to its page. */
  affected_transactions: { tx_id: string; url: string }[];
}

export interface AlertNotification {
  /** Stable per (episode, transition): the webhook-id, Idempotency-Key and Alertmanager group key. */
  id: string;
  transition: 'firing' | 'resolved' | 'test';
  /** When the transition was seen (ISO). */
  created_at: string;
  /** Base URL of the UI. */
  public_url: string;
  anomalies: AlertEvidence[];
}

const pct = (x: number) => `${(x * 100).toFixed(x >= 0.1 ? 1 : 2)}%`;

/** "[FIRING] duplicate_execution on payments (payment): 40.0% vs 0.30% expected, score 0.93". */
export function summaryLine(n: AlertNotification): string {
  const tag = n.transition === 'test' ? '[TEST]' : `[${n.transition.toUpperCase()}]`;
  const [first] = n.anomalies;
  if (!first) return `${tag} txdrift notification`;
  const more = n.anomalies.length > 1 ? ` (+${n.anomalies.length - 1} more)` : '';
  return `${tag} ${first.signal} on ${first.service}${first.tx_type ? ` (${first.tx_type})` : ''}: ${pct(first.observed_rate)} vs ${pct(first.expected_rate)} expected, score ${first.score.toFixed(2)}${more}`;
}

export function describeEvidence(e: AlertEvidence): string {
  const attrs = e.top_attributions.map((a) => `${a.key}=${a.value} (${Math.round(a.share * 100)}% of affected, ×${a.lift.toFixed(1)})`).join(', ');
  return [
    `${e.signal} on ${e.service}${e.tx_type ? `, tx_type ${e.tx_type}` : ''}: observed ${pct(e.observed_rate)} vs expected ${pct(e.expected_rate)} (normal ${pct(e.bounds.lower)}–${pct(e.bounds.upper)}), score ${e.score.toFixed(2)}.`,
    `${e.flagged} flagged of ${e.sample_size} transactions, ${e.affected_total} affected, window ${e.window.from} – ${e.window.to}${e.resolved_at ? `, resolved ${e.resolved_at}` : ''}.`,
    attrs ? `Over-represented: ${attrs}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A made-up episode for test sends and template checks. */
export function sampleEvidence(publicUrl: string): AlertEvidence {
  const id = 'anm_0000000000000000';
  return {
    anomaly_id: id,
    anomaly_url: `${publicUrl}/anomalies/${id}`,
    signal: 'duplicate_execution',
    service: 'payments',
    tx_type: 'payment',
    status: 'open',
    kind: 'test',
    window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:05:00.000Z' },
    resolved_at: null,
    observed_rate: 0.4,
    expected_rate: 0.003,
    bounds: { lower: 0, upper: 0.02 },
    score: 0.93,
    sample_size: 100,
    flagged: 40,
    affected_total: 40,
    top_attributions: [{ key: 'region', value: 'eu-west-1', share: 1, lift: 2.9 }],
    affected_transactions: [{ tx_id: 'test-tx-1', url: `${publicUrl}/transactions/test-tx-1` }],
  };
}
