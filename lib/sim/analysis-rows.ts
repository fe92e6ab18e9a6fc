// Simulated emissions as the rows analysis sees (lib/analysis/reference.ts), arrival time as
// received_at and inserted_at: how the simulator's ground truth is checked against the
// flag definitions without an engine. Pure.
import type { AnalysisEvent } from '@/lib/analysis/reference';
import type { Emission } from './delivery';

export function analysisRows(emissions: Iterable<Emission>): AnalysisEvent[] {
  const rows: AnalysisEvent[] = [];
  for (const { event: e, sendAtMs } of emissions) {
    const arrivedUs = Math.round(sendAtMs * 1000);
    rows.push({
      event_id: e.event_id,
      tx_id: e.tx_id,
      service: e.service,
      operation: e.operation,
      tsUs: e.ts * 1000,
      seq: e.seq,
      status: e.status ?? 'ok',
      state: e.state ?? '',
      idempotency_key: e.idempotency_key ?? '',
      causation_id: e.causation_id ?? '',
      tx_type: e.tx_type,
      receivedAtUs: arrivedUs,
      insertedAtUs: arrivedUs,
    });
  }
  return rows;
}

/** Rows grouped by transaction. */
export function byTransaction(rows: AnalysisEvent[]): Map<string, AnalysisEvent[]> {
  const m = new Map<string, AnalysisEvent[]>();
  for (const r of rows) {
    const list = m.get(r.tx_id);
    if (list) list.push(r);
    else m.set(r.tx_id, [r]);
  }
  return m;
}
