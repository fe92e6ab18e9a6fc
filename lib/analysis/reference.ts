// The reference implementation of the transaction flags of DESIGN.md, written to be read:
// the oracle that property tests hold the ClickHouse SQL path to. Not used in production
// (analysis runs inside ClickHouse). Pure.
//
// Choices where DESIGN.md is silent (also in the README):
// - Copies of one event_id: the first received counts (earliest received_at; ties by content).
// - Timeline order: (ts, seq, event_id); an event without seq sorts before seq 0 at equal ts.
// - A transaction's tx_type: the first non-"default" tx_type on its timeline, else "default".
// - Settled (divergence may be judged): the last arrival (inserted_at, our clock) is at least
//   settle_after old. Arrival, not event time, so backfilled history is not judged early.
// - Agree services are expected to report like participants.
import { MAX_EVENT_IDS_PER_REASON, MAX_REASONS_PER_RULE, type FlagReason, type TxVerdict } from './flags';
import { isAllowedMove, type CompiledModel } from './model';

/** One received row of the events table, as analysis sees it. */
export interface AnalysisEvent {
  event_id: string;
  tx_id: string;
  service: string;
  operation: string;
  tsUs: number;
  seq: number | null;
  status: 'ok' | 'error';
  state: string;
  idempotency_key: string;
  causation_id: string;
  tx_type: string;
  receivedAtUs: number;
  insertedAtUs: number;
}

export interface EvaluateOptions {
  nowUs: number;
  maxClockSkewUs: number;
}

/** Evaluates one transaction from all of its received rows. */
export function evaluateTransaction(rows: AnalysisEvent[], models: Map<string, CompiledModel>, opts: EvaluateOptions): TxVerdict {
  const copies = new Map<string, number>();
  for (const r of rows) copies.set(r.event_id, (copies.get(r.event_id) ?? 0) + 1);
  const timeline = firstReceivedCopies(rows).sort(byTimeline);
  const txType = timeline.find((e) => e.tx_type !== 'default')?.tx_type ?? 'default';
  const model = models.get(txType);
  const services = [...new Set(timeline.map((e) => e.service))].sort(cmp);
  const lastArrivalUs = Math.max(...rows.map((r) => r.insertedAtUs));
  const settled = !model || lastArrivalUs + model.settleAfterMs * 1000 <= opts.nowUs;

  const reasons = [
    ...redeliveries(timeline, copies),
    ...duplicateExecutions(timeline, model),
    ...sequenceRegressions(timeline),
    ...causationInversions(timeline, opts.maxClockSkewUs),
    ...(model ? invalidTransitions(timeline, model) : []),
    ...(model && settled ? divergence(timeline, model) : []),
  ];
  const has = (flag: FlagReason['flag']) => reasons.some((r) => r.flag === flag);
  return {
    tx_id: rows[0]!.tx_id,
    tx_type: txType,
    firstTsUs: timeline[0]!.tsUs,
    lastTsUs: Math.max(...timeline.map((e) => e.tsUs)),
    services,
    countedServices: [...new Set([...services, ...(model?.expected ?? [])])].sort(cmp),
    received: rows.length,
    flags: { duplicate_delivery: has('duplicate_delivery'), duplicate_execution: has('duplicate_execution'), ordering: has('ordering'), divergence: has('divergence') },
    settled,
    reasons,
  };
}

function firstReceivedCopies(rows: AnalysisEvent[]): AnalysisEvent[] {
  const first = new Map<string, AnalysisEvent>();
  for (const r of rows) {
    const kept = first.get(r.event_id);
    if (!kept || byReceipt(r, kept) < 0) first.set(r.event_id, r);
  }
  return [...first.values()];
}

/** Some event_id was received more than once: one reason per service. */
function redeliveries(timeline: AnalysisEvent[], copies: Map<string, number>): FlagReason[] {
  const byService = groupBy(timeline.filter((e) => copies.get(e.event_id)! > 1), (e) => e.service);
  return [...byService.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([service, evs]) => ({
      flag: 'duplicate_delivery',
      rule: 'redelivery',
      service,
      detail: evs.map((e) => `${e.event_id} received ${copies.get(e.event_id)} times`).slice(0, 3).join('; ') + (evs.length > 3 ? ` and ${evs.length - 3} more` : ''),
      event_ids: ids(evs),
    }));
}

/** Distinct ok events sharing (service, operation, key), or (service, operation) without a key for a non-repeatable operation. */
function duplicateExecutions(timeline: AnalysisEvent[], model: CompiledModel | undefined): FlagReason[] {
  const counted = timeline.filter((e) => e.status === 'ok' && (e.idempotency_key !== '' || !model?.repeatable.has(e.operation)));
  const groups = groupBy(counted, (e) => JSON.stringify([e.service, e.operation, e.idempotency_key]));
  return [...groups.values()]
    .filter((g) => g.length >= 2)
    .slice(0, MAX_REASONS_PER_RULE)
    .map((g) => {
      const e = g[0]!;
      const key = e.idempotency_key ? `with idempotency key ${e.idempotency_key}` : 'without an idempotency key';
      return { flag: 'duplicate_execution', rule: 'duplicate_execution', service: e.service, detail: `${e.operation} executed ${g.length} times ${key}`, event_ids: ids(g) };
    });
}

/** Within one service, a seq lower than an earlier event's seq. */
function sequenceRegressions(timeline: AnalysisEvent[]): FlagReason[] {
  const out: FlagReason[] = [];
  const highest = new Map<string, AnalysisEvent>();
  for (const e of timeline) {
    if (e.seq === null) continue;
    const top = highest.get(e.service);
    if (top && e.seq < top.seq!) {
      out.push({ flag: 'ordering', rule: 'sequence_regression', service: e.service, detail: `seq ${e.seq} after seq ${top.seq}`, event_ids: [top.event_id, e.event_id] });
    } else if (!top || e.seq > top.seq!) {
      highest.set(e.service, e);
    }
  }
  return out.slice(0, MAX_REASONS_PER_RULE);
}

/** An event earlier than the event that caused it, by more than the tolerated clock skew. */
function causationInversions(timeline: AnalysisEvent[], maxClockSkewUs: number): FlagReason[] {
  const byId = new Map(timeline.map((e) => [e.event_id, e]));
  const out: FlagReason[] = [];
  for (const e of timeline) {
    const cause = e.causation_id ? byId.get(e.causation_id) : undefined;
    if (!cause || e.tsUs >= cause.tsUs - maxClockSkewUs) continue;
    out.push({
      flag: 'ordering',
      rule: 'causation_inversion',
      service: e.service,
      detail: `${e.event_id} is ${formatMs(cause.tsUs - e.tsUs)} earlier than its cause ${cause.event_id}`,
      event_ids: [cause.event_id, e.event_id],
    });
  }
  return out.slice(0, MAX_REASONS_PER_RULE);
}

/** On the merged timeline of ok events with a state, a move the model does not allow. */
function invalidTransitions(timeline: AnalysisEvent[], model: CompiledModel): FlagReason[] {
  const stated = timeline.filter((e) => e.status === 'ok' && e.state !== '');
  const out: FlagReason[] = [];
  for (let i = 1; i < stated.length; i++) {
    const [a, b] = [stated[i - 1]!, stated[i]!];
    if (isAllowedMove(model, a.state, b.state)) continue;
    out.push({
      flag: 'ordering',
      rule: 'invalid_transition',
      service: b.service,
      detail: `${b.state} after ${a.state}: ${a.state} → ${b.state} is not allowed by the ${model.txType} model`,
      event_ids: [a.event_id, b.event_id],
    });
  }
  return out.slice(0, MAX_REASONS_PER_RULE);
}

/** Once settled: an expected service never reported, or the agree services' last states differ. */
function divergence(timeline: AnalysisEvent[], model: CompiledModel): FlagReason[] {
  const reported = new Set(timeline.map((e) => e.service));
  const missing: FlagReason[] = model.expected
    .filter((s) => !reported.has(s))
    .map((s) => ({ flag: 'divergence', rule: 'missing_participant', service: s, detail: `${s} never reported`, event_ids: [] }));
  const finals = model.agree
    .filter((s) => reported.has(s))
    .map((s) => ({ service: s, last: timeline.findLast((e) => e.service === s && e.status === 'ok' && e.state !== '') }));
  if (new Set(finals.map((f) => f.last?.state ?? '')).size <= 1) return missing;
  const detail = finals.map((f) => `${f.service} ended ${f.last ? f.last.state : 'without a state'}`).join('; ');
  return [
    ...missing,
    ...finals.map((f): FlagReason => ({ flag: 'divergence', rule: 'conflicting_states', service: f.service, detail, event_ids: f.last ? [f.last.event_id] : [] })),
  ];
}

function byTimeline(a: AnalysisEvent, b: AnalysisEvent): number {
  return a.tsUs - b.tsUs || (a.seq ?? -1) - (b.seq ?? -1) || cmp(a.event_id, b.event_id);
}

/** Earliest received first; identical arrival times are ordered by content so the choice is deterministic. */
function byReceipt(a: AnalysisEvent, b: AnalysisEvent): number {
  const keys = (e: AnalysisEvent) => [e.service, e.operation, e.status, e.state, e.idempotency_key, e.causation_id, e.tx_type];
  const [ka, kb] = [keys(a), keys(b)];
  return a.receivedAtUs - b.receivedAtUs || a.tsUs - b.tsUs || (a.seq ?? -1) - (b.seq ?? -1) || ka.reduce((d, v, i) => d || cmp(v, kb[i]!), 0);
}

/** Byte-wise UTF-8 order (= code point order), as ClickHouse compares strings. */
export function cmp(a: string, b: string): number {
  if (a === b) return 0;
  const [ca, cb] = [[...a], [...b]];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

const ids = (evs: AnalysisEvent[]) => evs.slice(0, MAX_EVENT_IDS_PER_REASON).map((e) => e.event_id);

function formatMs(us: number): string {
  return `${Math.round(us / 1000)} ms`;
}
