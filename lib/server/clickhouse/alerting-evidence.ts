// SQL for alert evidence beyond the stored episode: the dominant tx_type among an episode's
// affected transactions (episodes are per signal × service, not per type).
import 'server-only';
import type { Db } from './client';

/** The most frequent tx_type among these transactions (ignoring `default`), or null. */
export async function dominantTxType(db: Db, txIds: string[]): Promise<string | null> {
  if (txIds.length === 0) return null;
  const [row] = await db.query<{ tx_type: string }>(
    `SELECT tx_type FROM tx_flags FINAL WHERE tx_id IN {ids:Array(String)} AND tx_type != 'default'
     GROUP BY tx_type ORDER BY count() DESC, tx_type LIMIT 1`,
    { ids: txIds },
  );
  return row?.tx_type ?? null;
}
