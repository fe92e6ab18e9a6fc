// Prometheus metrics of one ingest service instance (own registry, so tests can run
// several apps in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;

export function createIngestMetrics(backlog: () => { bytes: number; segments: number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'txdrift_' });
  return {
    registry,
    eventsAccepted: new Counter({ name: 'txdrift_ingest_events_accepted_total', help: 'Events stored', registers: [registry] }),
    eventsRejected: new Counter({ name: 'txdrift_ingest_events_rejected_total', help: 'Event lines rejected by validation', registers: [registry] }),
    requests: new Counter({ name: 'txdrift_ingest_requests_total', help: 'Ingest HTTP requests by status code', labelNames: ['status'], registers: [registry] }),
    insertBatches: new Counter({ name: 'txdrift_ingest_insert_batches_total', help: 'Inserts into ClickHouse by outcome', labelNames: ['outcome'], registers: [registry] }),
    insertRows: new Counter({ name: 'txdrift_ingest_insert_rows_total', help: 'Rows inserted into ClickHouse', registers: [registry] }),
    insertSeconds: new Histogram({
      name: 'txdrift_ingest_insert_duration_seconds',
      help: 'Latency of one insert batch into ClickHouse',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    spoolBytes: new Gauge({
      name: 'txdrift_ingest_spool_bytes',
      help: 'Acknowledged bytes waiting in the spool for ClickHouse',
      registers: [registry],
      collect() {
        this.set(backlog().bytes);
      },
    }),
    spoolSegments: new Gauge({
      name: 'txdrift_ingest_spool_segments',
      help: 'Spool segments waiting for ClickHouse',
      registers: [registry],
      collect() {
        this.set(backlog().segments);
      },
    }),
  };
}
