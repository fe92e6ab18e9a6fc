// SQL for the per-service breakdown of the overview: events, transactions and each flag's
// count and rate per service over a range, from the committed per-minute signals.
import 'server-only';
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import type { BreakdownQuery } from '@/lib/domain/api';
import type { Db } from './client';

export interface ServiceBreakdown {
  service: string;
  events: number;
  transactions: number;
  flagged: { count: number; rate: number };
  flags: Record<FlagName, { count: number; rate: number }>;
}

type Num = number | string;
const RANGE = `minute >= toStartOfMinute(fromUnixTimestamp64Milli({from:Int64}, 'UTC')) AND minute < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`;

export async function getServiceBreakdown(db: Db, q: BreakdownQuery, signal?: AbortSignal): Promise<{ from: string; to: string; services: ServiceBreakdown[] }> {
  const params = { from: q.from, to: q.to };
  const [txRows, eventRows] = await Promise.all([
    db.query<Record<string, Num> & { service: string }>(
      `SELECT service, sum(transactions) AS transactions, sum(flagged) AS flagged, ${FLAGS.map((f) => `sum(${f}) AS ${f}`).join(', ')}
       FROM signal_tx
       WHERE ${RANGE} AND service != ''
         AND pass_id <= (SELECT maxIf(pass_id, status = 'committed') FROM analysis_passes)
       GROUP BY service`,
      params,
      signal,
    ),
    db.query<{ service: string; events: Num }>(`SELECT service, sum(events) AS events FROM signal_events WHERE ${RANGE} GROUP BY service`, params, signal),
  ]);
  const events = new Map(eventRows.map((r) => [r.service, Number(r.events)]));
  const names = [...new Set([...events.keys(), ...txRows.map((r) => r.service)])];
  const tx = new Map(txRows.map((r) => [r.service, r]));
  const services = names.map((service) => {
    const r = tx.get(service);
    const transactions = Number(r?.transactions ?? 0);
    const share = (n: Num | undefined) => ({ count: Number(n ?? 0), rate: transactions > 0 ? Number(n ?? 0) / transactions : 0 });
    return {
      service,
      events: events.get(service) ?? 0,
      transactions,
      flagged: share(r?.flagged),
      flags: Object.fromEntries(FLAGS.map((f) => [f, share(r?.[f])])) as ServiceBreakdown['flags'],
    };
  });
  services.sort((a, b) => b.flagged.count - a.flagged.count || b.events - a.events || (a.service < b.service ? -1 : 1));
  return { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString(), services };
}
