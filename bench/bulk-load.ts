// Helper process of bench/ingest.ts (one engine per process):
//   count <dataDir>            → rows in the events table
//   bulk <dataDir> <ndjson>    → the engine's own load of the NDJSON into a fresh events table
// Prints one JSON line { rows, ms }.
import { openDb } from '@/lib/server/clickhouse/client';
import { migrate } from '@/lib/server/clickhouse/migrations';
import { loadEnv } from '@/lib/server/env';

const [mode, dataDir, file] = process.argv.slice(2);
const env = loadEnv({ DATA_DIR: dataDir });
const db = await openDb(env);
await migrate(db, env.RETENTION_DAYS);

const INPUT_STRUCTURE = [
  'event_id String', 'tx_id String', 'service String', 'operation String', 'ts Int64', 'tx_type String', 'state String',
  'status String', 'seq Nullable(UInt64)', 'idempotency_key String', 'attempt UInt32', 'causation_id String',
  'trace_id String', 'span_id String', 'attributes Map(String, String)',
].join(', ');

let ms = 0;
if (mode === 'bulk') {
  const started = performance.now();
  await db.command(
    // Columns named: inserted_at takes its DEFAULT, as it does for ingest's inserts.
    `INSERT INTO events (ts, received_at, tx_id, event_id, service, operation, tx_type, state, status, seq, idempotency_key, attempt,
                         causation_id, trace_id, span_id, attributes, request_id)
     SELECT fromUnixTimestamp64Milli(ts, 'UTC'), now64(6), tx_id, event_id, service, operation, if(tx_type = '', 'default', tx_type),
            state, if(status = '', 'ok', status), seq, idempotency_key, greatest(attempt, 1), causation_id, lower(trace_id), lower(span_id),
            attributes, 'bulk'
     FROM file({file:String}, 'JSONEachRow', {structure:String})`,
    { file, structure: INPUT_STRUCTURE },
  );
  ms = performance.now() - started;
}
const [row] = await db.query<{ n: number | string }>('SELECT count() AS n FROM events');
await db.close();
console.log(JSON.stringify({ rows: Number(row?.n ?? 0), ms }));
