// SQL for the overview's empty state: has any event been stored at all (cheap: the
// per-minute event counts, not the events table).
import 'server-only';
import type { Db } from './client';

export async function hasAnyEvent(db: Db, signal?: AbortSignal): Promise<boolean> {
  const rows = await db.query<{ one: number }>(`SELECT 1 AS one FROM signal_events LIMIT 1`, {}, signal);
  return rows.length > 0;
}
