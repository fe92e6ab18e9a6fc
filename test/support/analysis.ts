// Analysis test support: write events with chosen arrival times straight into the events
// table, run passes, read verdicts back in the reference implementation's shape.
import type { TxVerdict } from '@/lib/analysis/flags';
import type { AnalysisEvent } from '@/lib/analysis/reference';
import type { Db } from '@/lib/server/clickhouse/client';

export async function insertEvents(db: Db, events: AnalysisEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) =>
    JSON.stringify({
      ts: e.tsUs,
      received_at: e.receivedAtUs,
      inserted_at: e.insertedAtUs,
      tx_id: e.tx_id,
      event_id: e.event_id,
      service: e.service,
      operation: e.operation,
      tx_type: e.tx_type,
      state: e.state,
      status: e.status,
      seq: e.seq,
      idempotency_key: e.idempotency_key,
      attempt: 1,
      causation_id: e.causation_id,
      trace_id: '',
      span_id: '',
      attributes: {},
      request_id: 'test',
    }),
  );
  await db.insertRaw({ table: 'events', format: 'JSONEachRow', body: Buffer.from(rows.join('\n') + '\n'), settings: { insert_deduplicate: 0 } });
}

interface VerdictRow {
  tx_id: string;
  tx_type: string;
  first_us: number | string;
  last_us: number | string;
  received: number | string;
  services: string[];
  counted_services: string[];
  duplicate_delivery: number;
  duplicate_execution: number;
  ordering: number;
  divergence: number;
  settled: number;
  reasons: { flag: string; rule: string; service: string; detail: string; event_ids: string[] }[] | [string, string, string, string, string[]][];
}

/** Current verdicts (highest version), keyed by tx_id. */
export async function readVerdicts(db: Db): Promise<Map<string, TxVerdict>> {
  const rows = await db.query<VerdictRow>(
    `SELECT tx_id, tx_type, toUnixTimestamp64Micro(first_ts) AS first_us, toUnixTimestamp64Micro(last_ts) AS last_us, received,
            services, counted_services, duplicate_delivery, duplicate_execution, ordering, divergence, settled, reasons
     FROM tx_flags FINAL`,
  );
  return new Map(
    rows.map((r) => [
      r.tx_id,
      {
        tx_id: r.tx_id,
        tx_type: r.tx_type,
        firstTsUs: Number(r.first_us),
        lastTsUs: Number(r.last_us),
        services: r.services,
        countedServices: r.counted_services,
        received: Number(r.received),
        flags: {
          duplicate_delivery: r.duplicate_delivery === 1,
          duplicate_execution: r.duplicate_execution === 1,
          ordering: r.ordering === 1,
          divergence: r.divergence === 1,
        },
        settled: r.settled === 1,
        reasons: r.reasons.map((x) =>
          Array.isArray(x)
            ? { flag: x[0], rule: x[1], service: x[2], detail: x[3], event_ids: x[4] }
            : { flag: x.flag, rule: x.rule, service: x.service, detail: x.detail, event_ids: x.event_ids },
        ) as TxVerdict['reasons'],
      },
    ]),
  );
}

/** A verdict with reasons in a canonical order, for comparing two implementations. */
export function canonical(v: TxVerdict) {
  return {
    ...v,
    reasons: [...v.reasons].map((r) => JSON.stringify([r.flag, r.rule, r.service, r.event_ids, r.detail])).sort(),
  };
}
