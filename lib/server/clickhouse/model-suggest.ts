// Reads a bounded sample of recent transactions of one tx_type as compact timelines (copies
// of an event_id folded, timeline order) for the model suggestion.
import 'server-only';
import type { ObservedTx } from '@/lib/analysis/suggest';
import type { Db } from './client';

/** At most this many recent transactions are sampled. */
export const SUGGEST_SAMPLE = 20_000;

export async function observedTransactions(db: Db, txType: string, days: number, signal?: AbortSignal): Promise<ObservedTx[]> {
  const rows = await db.query<{ steps: [string, string, number, string, number][]; duration_ms: number | string }>(
    `SELECT arrayMap(x -> (x.3, x.4, x.5, x.6, x.7), arraySort(x -> (x.1, x.2, x.8), groupArray(step))) AS steps,
            intDiv(max(arrived) - min(arrived), 1000) AS duration_ms
     FROM
     (
       SELECT tx_id, event_id,
              argMin((toUnixTimestamp64Micro(ts), ifNull(toInt64(seq), -1), toString(service), toString(operation),
                      status = 'ok', toString(state), idempotency_key != '', event_id), received_at) AS step,
              max(toUnixTimestamp64Micro(inserted_at)) AS arrived
       FROM events
       WHERE ts >= now64(6) - toIntervalDay({days:UInt16})
         AND tx_id IN (SELECT tx_id FROM events WHERE tx_type = {t:String} AND ts >= now64(6) - toIntervalDay({days:UInt16})
                       GROUP BY tx_id ORDER BY max(ts) DESC LIMIT {sample:UInt32})
       GROUP BY tx_id, event_id
     )
     GROUP BY tx_id`,
    { t: txType, days, sample: SUGGEST_SAMPLE },
    signal,
  );
  return rows.map((r) => ({
    steps: r.steps.map(([service, operation, ok, state, keyed]) => ({ service, operation, ok: Boolean(ok), state, keyed: Boolean(keyed) })),
    durationMs: Number(r.duration_ms),
  }));
}
