// The transaction flags of DESIGN.md in ClickHouse SQL: one scan of the events of the
// transactions to evaluate, one GROUP BY tx_id, copies of an event_id folded to the first
// received inside the group (sorting the rows by event_id, arrival and content puts it
// first), one timeline per transaction (arrays sorted by ts, seq, event_id), and each rule
// as array expressions over it. lib/analysis/reference.ts is the same definition in TypeScript;
// the property tests hold the two to identical results.
//
// Model data travels as bound parameters (maps keyed by tx_type), never in the SQL text.
import 'server-only';
import { MAX_EVENT_IDS_PER_REASON, MAX_REASONS_PER_RULE } from '@/lib/analysis/flags';
import type { CompiledModel } from '@/lib/analysis/model';

const SEP = '\u001f';

/** Query parameters that carry the transaction models. */
export function modelParams(models: Map<string, CompiledModel>) {
  const reach: Record<string, string[]> = {};
  const repeatable: Record<string, string[]> = {};
  const expected: Record<string, string[]> = {};
  const agree: Record<string, string[]> = {};
  const settleUs: Record<string, number> = {};
  for (const [type, m] of models) {
    for (const [from, tos] of m.reachable) reach[`${type}${SEP}${from}`] = [...tos];
    repeatable[type] = [...m.repeatable];
    expected[type] = m.expected;
    agree[type] = m.agree;
    settleUs[type] = m.settleAfterMs * 1000;
  }
  return { model_types: [...models.keys()], reach, repeatable, expected, agree, settle_us: settleUs, sep: SEP };
}

const REASON = 'Tuple(flag String, rule String, service String, detail String, event_ids Array(String))';

/**
 * SELECT producing one verdict row per transaction (columns of tx_flags except
 * evaluated_at) from the events matching `where`. Parameters: the modelParams, now_us,
 * skew_us, version.
 */
export function verdictSelect(where: string): string {
  return `
WITH
  {now_us:Int64} AS now_us,
  {skew_us:Int64} AS skew_us,
  {sep:String} AS sep,
  {model_types:Array(String)} AS model_types,
  {reach:Map(String, Array(String))} AS reach,
  {repeatable:Map(String, Array(String))} AS repeatable_ops,
  {expected:Map(String, Array(String))} AS expected_services,
  {agree:Map(String, Array(String))} AS agree_services,
  {settle_us:Map(String, Int64)} AS settle_us
SELECT
  tx_id,
  {version:UInt64} AS version,
  tx_type,
  fromUnixTimestamp64Micro(ts[1], 'UTC') AS first_ts,
  fromUnixTimestamp64Micro(arrayMax(ts), 'UTC') AS last_ts,
  fromUnixTimestamp64Micro(last_inserted_us, 'UTC') AS last_inserted_at,
  toUInt32(received) AS received,
  arraySort(arrayDistinct(svc)) AS services,
  arraySort(arrayDistinct(arrayConcat(svc, expected))) AS counted_services,
  has(reasons.flag, 'duplicate_delivery') AS duplicate_delivery,
  has(reasons.flag, 'duplicate_execution') AS duplicate_execution,
  has(reasons.flag, 'ordering') AS ordering,
  has(reasons.flag, 'divergence') AS divergence,
  settled,
  CAST(reasons, 'Array(${REASON})') AS reasons
FROM
(
  SELECT
    *,
    if(arrayFirst(t -> t != 'default', typ) = '', 'default', arrayFirst(t -> t != 'default', typ)) AS tx_type,
    has(model_types, tx_type) AS has_model,
    if(has_model, expected_services[tx_type], []) AS expected,
    NOT has_model OR last_inserted_us + settle_us[tx_type] <= now_us AS settled,
    arrayEnumerate(ids) AS idx,

    -- duplicate_delivery: an event_id received more than once (one reason per service)
    arrayMap(s -> CAST((
        'duplicate_delivery', 'redelivery', s,
        arrayStringConcat(arraySlice(arrayMap(i -> concat(ids[i], ' received ', toString(copies[i]), ' times'),
          arrayFilter(i -> svc[i] = s AND copies[i] > 1, idx)), 1, 3), '; ')
          || if(length(arrayFilter(i -> svc[i] = s AND copies[i] > 1, idx)) > 3,
                concat(' and ', toString(length(arrayFilter(i -> svc[i] = s AND copies[i] > 1, idx)) - 3), ' more'), ''),
        arraySlice(arrayMap(i -> ids[i], arrayFilter(i -> svc[i] = s AND copies[i] > 1, idx)), 1, ${MAX_EVENT_IDS_PER_REASON})
      ), '${REASON}'),
      arraySort(arrayDistinct(arrayMap(i -> svc[i], arrayFilter(i -> copies[i] > 1, idx))))
    ) AS r_delivery,

    -- duplicate_execution: distinct ok events sharing (service, operation, key); without a key,
    -- (service, operation) for an operation the model does not call repeatable
    arrayMap(i -> if(ok[i] AND (ikey[i] != '' OR NOT has(repeatable_ops[tx_type], op[i])), concat(svc[i], sep, op[i], sep, ikey[i]), ''), idx) AS exec_key,
    arrayMap(g -> CAST((
        'duplicate_execution', 'duplicate_execution', svc[indexOf(exec_key, g)],
        concat(op[indexOf(exec_key, g)], ' executed ', toString(countEqual(exec_key, g)), ' times ',
               if(ikey[indexOf(exec_key, g)] != '', concat('with idempotency key ', ikey[indexOf(exec_key, g)]), 'without an idempotency key')),
        arraySlice(arrayFilter((id, k) -> k = g, ids, exec_key), 1, ${MAX_EVENT_IDS_PER_REASON})
      ), '${REASON}'),
      arraySlice(arrayFilter(g -> g != '' AND countEqual(exec_key, g) >= 2, arrayDistinct(exec_key)), 1, ${MAX_REASONS_PER_RULE})
    ) AS r_execution,

    -- ordering, sequence regression: within one service, a seq below an earlier event's seq
    arrayMap(i -> arrayMax(arrayConcat([toInt64(-1)], arrayMap(j -> seq[j], arrayFilter(j -> j < i AND svc[j] = svc[i] AND seq[j] >= 0, idx)))), idx) AS seq_before,
    arrayMap(i -> CAST((
        'ordering', 'sequence_regression', svc[i],
        concat('seq ', toString(seq[i]), ' after seq ', toString(seq_before[i])),
        [ids[arrayFirstIndex(j -> j < i AND svc[j] = svc[i] AND seq[j] = seq_before[i], idx)], ids[i]]
      ), '${REASON}'),
      arraySlice(arrayFilter(i -> seq[i] >= 0 AND seq[i] < seq_before[i], idx), 1, ${MAX_REASONS_PER_RULE})
    ) AS r_sequence,

    -- ordering, causation inversion: earlier than the event that caused it, beyond the clock skew
    arrayMap(c -> if(c = '', 0, indexOf(ids, c)), cause) AS cause_idx,
    arrayMap(i -> CAST((
        'ordering', 'causation_inversion', svc[i],
        concat(ids[i], ' is ', toString(round((ts[cause_idx[i]] - ts[i]) / 1000)), ' ms earlier than its cause ', ids[cause_idx[i]]),
        [ids[cause_idx[i]], ids[i]]
      ), '${REASON}'),
      arraySlice(arrayFilter(i -> cause_idx[i] > 0 AND ts[i] < ts[cause_idx[i]] - skew_us, idx), 1, ${MAX_REASONS_PER_RULE})
    ) AS r_causation,

    -- ordering, invalid or stale transition: on the merged timeline of ok events with a state,
    -- a move to a state not reachable through the model's transitions
    arrayFilter(i -> ok[i] AND st[i] != '', idx) AS stated,
    arrayMap(k -> CAST((
        'ordering', 'invalid_transition', svc[stated[k]],
        concat(st[stated[k]], ' after ', st[stated[k - 1]], ': ', st[stated[k - 1]], ' → ', st[stated[k]], ' is not allowed by the ', tx_type, ' model'),
        [ids[stated[k - 1]], ids[stated[k]]]
      ), '${REASON}'),
      if(has_model,
        arraySlice(arrayFilter(k -> k > 1 AND st[stated[k]] != st[stated[k - 1]]
                                 AND NOT has(reach[concat(tx_type, sep, st[stated[k - 1]])], st[stated[k]]), arrayEnumerate(stated)), 1, ${MAX_REASONS_PER_RULE}),
        [])
    ) AS r_transition,

    -- divergence, once settled: an expected service never reported, or the agree services'
    -- last ok states differ
    if(has_model AND settled, arrayFilter(s -> NOT has(svc, s), expected), []) AS missing,
    arrayMap(s -> CAST(('divergence', 'missing_participant', s, concat(s, ' never reported'), []), '${REASON}'), missing) AS r_missing,
    if(has_model AND settled, arrayFilter(s -> has(svc, s), agree_services[tx_type]), []) AS agreeing,
    arrayMap(s -> arrayLastIndex(i -> svc[i] = s AND ok[i] AND st[i] != '', idx), agreeing) AS final_idx,
    arrayMap(f -> if(f = 0, '', st[f]), final_idx) AS final_state,
    arrayStringConcat(arrayMap((s, f) -> concat(s, ' ended ', if(f = 0, 'without a state', st[f])), agreeing, final_idx), '; ') AS conflict_detail,
    if(length(arrayDistinct(final_state)) > 1,
       arrayMap((s, f) -> CAST(('divergence', 'conflicting_states', s, conflict_detail, if(f = 0, [], [ids[f]])), '${REASON}'), agreeing, final_idx),
       []) AS r_conflict,

    arrayConcat(r_delivery, r_execution, r_sequence, r_causation, r_transition, r_missing, r_conflict) AS reasons
  FROM
  (
    -- one timeline per transaction: the first received copy of each event_id, in (ts, seq, event_id) order
    SELECT
      tx_id,
      received,
      last_inserted_us,
      -- rows sorted by (event_id, arrival, content): each event_id's first received copy comes first
      arraySort(all_rows) AS by_event,
      arrayFilter((r, n) -> n = 1, by_event, arrayEnumerateUniq(by_event.1)) AS kept,
      arraySort(x -> (x.1.3, x.1.4, x.1.1), arrayZip(kept, arrayMap(id -> countEqual(by_event.1, id), kept.1))) AS timeline,
      timeline.1 AS rows,
      rows.1 AS ids,
      rows.3 AS ts,
      rows.4 AS seq,
      rows.5 AS svc,
      rows.6 AS op,
      arrayMap(s -> s = 'ok', rows.7) AS ok,
      rows.8 AS st,
      rows.9 AS ikey,
      rows.10 AS cause,
      rows.11 AS typ,
      timeline.2 AS copies
    FROM
    (
      SELECT
        tx_id,
        count() AS received,
        max(toUnixTimestamp64Micro(inserted_at)) AS last_inserted_us,
        groupArray((event_id, toUnixTimestamp64Micro(received_at), toUnixTimestamp64Micro(ts), ifNull(toInt64(seq), -1),
                    toString(service), toString(operation), toString(status), toString(state), idempotency_key, causation_id,
                    toString(tx_type))) AS all_rows
      FROM events
      WHERE ${where}
      GROUP BY tx_id
    )
  )
)`;
}
