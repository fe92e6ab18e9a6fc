// SQL over the events table for the status views, and the row → domain mappers.
import 'server-only';
import type { Db } from './client';

export interface IngestSummary {
  events: number;
  transactions: number;
  services: { service: string; events: number; lastReceivedAt: string }[];
  lastReceivedAt: string | null;
}

/** Totals and per-service arrival, for the home page and /api/v1/status. */
export async function getIngestSummary(db: Db, signal?: AbortSignal): Promise<IngestSummary> {
  const rows = await db.query<{ service: string; events: number | string; last_received_at: string }>(
    `SELECT service, count() AS events, max(received_at) AS last_received_at
     FROM events GROUP BY service ORDER BY events DESC LIMIT 100`,
    {},
    signal,
  );
  const [tx] = await db.query<{ n: number | string }>(`SELECT uniq(tx_id) AS n FROM events`, {}, signal);
  const services = rows.map((r) => ({ service: r.service, events: Number(r.events), lastReceivedAt: isoFromClickhouse(r.last_received_at) }));
  return {
    events: services.reduce((s, r) => s + r.events, 0),
    transactions: Number(tx?.n ?? 0),
    services,
    lastReceivedAt: services.map((s) => s.lastReceivedAt).sort().at(-1) ?? null,
  };
}

/** ClickHouse DateTime64 text in UTC (`2026-01-01 12:00:00.123456`) → ISO 8601 with Z. */
export function isoFromClickhouse(t: string): string {
  return `${t.replace(' ', 'T')}Z`;
}
