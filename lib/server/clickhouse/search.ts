// SQL for finding transactions by one exact id: the transaction id, any event id or any
// idempotency key (each has a bloom filter index on events), with the current verdict.
import 'server-only';
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import type { SearchQuery } from '@/lib/domain/api';
import type { Db } from './client';
import { isoFromMicros } from './transactions';

export type MatchKind = 'tx_id' | 'event_id' | 'idempotency_key';

export interface SearchMatch {
  tx_id: string;
  /** Which ids of this transaction equal the query. */
  matched: MatchKind[];
  tx_type: string;
  first_ts: string;
  last_ts: string;
  services: string[];
  events: number;
  /** Flags of the current verdict; empty when clean or not analysed yet. */
  flags: FlagName[];
}

type Num = number | string;

export async function searchTransactions(db: Db, q: SearchQuery, signal?: AbortSignal): Promise<{ query: string; matches: SearchMatch[] }> {
  const hits = await db.query<{ tx_id: string; matched: MatchKind[] }>(
    `SELECT tx_id, groupUniqArray(multiIf(tx_id = {q:String}, 'tx_id', event_id = {q:String}, 'event_id', 'idempotency_key')) AS matched
     FROM events
     WHERE tx_id = {q:String} OR event_id = {q:String} OR idempotency_key = {q:String}
     GROUP BY tx_id ORDER BY max(ts) DESC LIMIT {limit:UInt32}`,
    { q: q.q, limit: q.limit },
    signal,
  );
  const matchedOf = new Map(hits.map((h) => [h.tx_id, h.matched]));
  const rows = hits.length === 0 ? [] : await db.query<{ tx_id: string; tx_type: string; first_us: Num; last_us: Num; services: string[]; events: Num }>(
    `SELECT tx_id, anyLast(toString(tx_type)) AS tx_type, toUnixTimestamp64Micro(min(ts)) AS first_us, toUnixTimestamp64Micro(max(ts)) AS last_us,
            arraySort(groupUniqArray(toString(service))) AS services, count() AS events
     FROM events WHERE tx_id IN {ids:Array(String)}
     GROUP BY tx_id ORDER BY last_us DESC`,
    { ids: [...matchedOf.keys()] },
    signal,
  );
  if (rows.length === 0) return { query: q.q, matches: [] };
  const verdicts = await db.query<Record<FlagName, Num> & { tx_id: string }>(
    `SELECT tx_id, ${FLAGS.join(', ')} FROM tx_flags FINAL WHERE tx_id IN {ids:Array(String)}`,
    { ids: rows.map((r) => r.tx_id) },
    signal,
  );
  const flagsOf = new Map(verdicts.map((v) => [v.tx_id, FLAGS.filter((f) => Number(v[f]) === 1)]));
  return {
    query: q.q,
    matches: rows.map((r) => ({
      tx_id: r.tx_id,
      matched: [...(matchedOf.get(r.tx_id) ?? [])].sort(),
      tx_type: r.tx_type,
      first_ts: isoFromMicros(r.first_us),
      last_ts: isoFromMicros(r.last_us),
      services: r.services,
      events: Number(r.events),
      flags: flagsOf.get(r.tx_id) ?? [],
    })),
  };
}
