// Builds one transaction's events: event ids, per-service sequence numbers, causation links
// and each service's clock (true time + its offset + jitter). Pure.
import { CLOCK_JITTER_MS, CLOCK_OFFSET_MS, drawLatency, LATENCY, STEP_GAP, type Service } from './catalog';
import type { Prng } from './prng';

/** One event as the ingest API takes it (DESIGN.md's contract); `ts` in epoch ms. */
export interface SimEvent {
  event_id: string;
  tx_id: string;
  tx_type: string;
  service: string;
  operation: string;
  ts: number;
  seq: number;
  state?: string;
  status?: 'ok' | 'error';
  idempotency_key?: string;
  attempt?: number;
  causation_id?: string;
  attributes: Record<string, string | number>;
}

/** An event and the true (platform) time it happened, before delivery is decided. */
export interface BuiltEvent {
  event: SimEvent;
  trueMs: number;
}

export interface EmitOptions {
  state?: string;
  status?: 'ok' | 'error';
  key?: string;
  attempt?: number;
  cause?: SimEvent;
}

export class TxBuilder {
  readonly built: BuiltEvent[] = [];
  private n = 0;
  private readonly seqs = new Map<string, number>();

  constructor(
    readonly txId: string,
    readonly txType: string,
    readonly attributes: Record<string, string | number>,
    readonly r: Prng,
  ) {}

  /** Records that `service` did `operation` at true time `trueMs`, as its own clock reports it. */
  emit(service: Service, operation: string, trueMs: number, o: EmitOptions = {}): SimEvent {
    const seq = (this.seqs.get(service) ?? 0) + 1;
    this.seqs.set(service, seq);
    const jitter = (this.r.rand() * 2 - 1) * CLOCK_JITTER_MS;
    const event: SimEvent = {
      event_id: `${this.txId}.${++this.n}`,
      tx_id: this.txId,
      tx_type: this.txType,
      service,
      operation,
      ts: Math.round(trueMs + CLOCK_OFFSET_MS[service] + jitter),
      seq,
      ...(o.state !== undefined && { state: o.state }),
      ...(o.status === 'error' && { status: 'error' as const }),
      ...(o.key !== undefined && { idempotency_key: o.key }),
      ...(o.attempt !== undefined && o.attempt > 1 && { attempt: o.attempt }),
      ...(o.cause && { causation_id: o.cause.event_id }),
      attributes: this.attributes,
    };
    this.built.push({ event, trueMs });
    return event;
  }

  /** Time for a call to reach and be handled by `service`. */
  hop(service: Service): number {
    return drawLatency(this.r, LATENCY[service]);
  }

  /** Time between two steps of a flow driven by a person or a batch (authorize → capture). */
  gap(): number {
    return drawLatency(this.r, STEP_GAP);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.r.rand();
  }
}
