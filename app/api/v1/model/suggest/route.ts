import { suggestModel } from '@/lib/analysis/suggest';
import { ModelSuggestQuerySchema } from '@/lib/domain/api';
import { observedTransactions } from '@/lib/server/clickhouse/model-suggest';
import { AppError } from '@/lib/server/errors';
import { queryOf, respond } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return respond(async (rt) => {
    const q = queryOf(req, ModelSuggestQuerySchema);
    const txs = await observedTransactions(rt.db, q.tx_type, q.days, req.signal);
    if (txs.length === 0) throw new AppError('not_found', `no ${q.tx_type} transaction in the last ${q.days} days to learn from`);
    return suggestModel(q.tx_type, txs);
  });
}
