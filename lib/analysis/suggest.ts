// Proposes a transaction model from observed transactions: states in their usual order,
// transitions seen often enough (with frequencies), participants, an agree group, repeatable
// operations and a settle time, rendered as YAML a user can review and save as
// TXDRIFT_CONFIG. Pure: observed timelines in, proposal out.
import { stringify } from 'yaml';

export interface ObservedStep {
  service: string;
  operation: string;
  ok: boolean;
  state: string;
  keyed: boolean;
}

export interface ObservedTx {
  /** Distinct events in timeline order. */
  steps: ObservedStep[];
  /** First to last arrival. */
  durationMs: number;
}

export interface SuggestOptions {
  /** A transition is proposed when it is at least this share of its source state's moves… */
  minTransitionShare?: number;
  /** …and seen at least this many times. */
  minTransitionCount?: number;
  /** A service is a participant when it reports on at least this share of transactions. */
  participantShare?: number;
}

export interface ModelSuggestion {
  tx_type: string;
  transactions: number;
  states: { state: string; transactions: number }[];
  transitions: { from: string; to: string; count: number; share: number; proposed: boolean }[];
  participants: { service: string; share: number; proposed: boolean }[];
  agree: { services: string[]; agreement: number };
  repeatable: { operation: string; share: number }[];
  settle_after: string;
  yaml: string;
}

export function suggestModel(txType: string, txs: ObservedTx[], opts: SuggestOptions = {}): ModelSuggestion {
  const minShare = opts.minTransitionShare ?? 0.02;
  const minCount = opts.minTransitionCount ?? 3;
  const participantShare = opts.participantShare ?? 0.95;
  const n = txs.length;
  const stated = txs.map((t) => t.steps.filter((s) => s.ok && s.state !== ''));

  // States in their usual order: by mean relative position on the timeline.
  const stateStats = new Map<string, { txs: number; pos: number; seen: number }>();
  for (const steps of stated) {
    const inTx = new Set<string>();
    steps.forEach((s, i) => {
      const st = stateStats.get(s.state) ?? { txs: 0, pos: 0, seen: 0 };
      st.pos += steps.length > 1 ? i / (steps.length - 1) : 0;
      st.seen += 1;
      if (!inTx.has(s.state)) st.txs += 1;
      inTx.add(s.state);
      stateStats.set(s.state, st);
    });
  }
  const states = [...stateStats.entries()].sort(([, a], [, b]) => a.pos / a.seen - b.pos / b.seen).map(([state, s]) => ({ state, transactions: s.txs }));

  // Transitions: consecutive distinct states on the merged timeline.
  const moves = new Map<string, number>();
  const outgoing = new Map<string, number>();
  for (const steps of stated) {
    for (let i = 1; i < steps.length; i++) {
      const [a, b] = [steps[i - 1]!.state, steps[i]!.state];
      if (a === b) continue;
      moves.set(`${a}\u0000${b}`, (moves.get(`${a}\u0000${b}`) ?? 0) + 1);
      outgoing.set(a, (outgoing.get(a) ?? 0) + 1);
    }
  }
  const transitions = [...moves.entries()]
    .map(([k, count]) => {
      const [from, to] = k.split('\u0000') as [string, string];
      const share = count / outgoing.get(from)!;
      return { from, to, count, share: round(share), proposed: share >= minShare && count >= minCount };
    })
    .sort((a, b) => a.from.localeCompare(b.from) || b.count - a.count);

  // Participants: services on (nearly) every transaction.
  const serviceTxs = countPerTx(txs, (t) => t.steps.map((s) => s.service));
  const participants = [...serviceTxs.entries()]
    .map(([service, c]) => ({ service, share: round(c / n), proposed: c / n >= participantShare }))
    .sort((a, b) => b.share - a.share || a.service.localeCompare(b.service));

  const agree = agreeGroup(txs, participants.filter((p) => p.proposed).map((p) => p.service));

  // Repeatable: keyless ok operations a service repeats on a noticeable share of its transactions.
  const repeatedIn = countPerTx(txs, (t) => {
    const seen = new Map<string, number>();
    for (const s of t.steps) if (s.ok && !s.keyed) seen.set(`${s.service}\u0000${s.operation}`, (seen.get(`${s.service}\u0000${s.operation}`) ?? 0) + 1);
    return [...seen.entries()].filter(([, c]) => c > 1).map(([k]) => k.split('\u0000')[1]!);
  });
  const opTxs = countPerTx(txs, (t) => t.steps.map((s) => s.operation));
  const repeatable = [...repeatedIn.entries()]
    .map(([operation, c]) => ({ operation, share: round(c / opTxs.get(operation)!) }))
    .filter((r) => r.share >= 0.05)
    .sort((a, b) => b.share - a.share);

  const durations = txs.map((t) => t.durationMs).sort((a, b) => a - b);
  const p99 = durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.99))] ?? 0;
  const settleMinutes = Math.max(1, Math.ceil((2 * p99) / 60_000));

  const proposedTransitions = transitions.filter((t) => t.proposed);
  const model = {
    states: states.map((s) => s.state),
    transitions: Object.fromEntries(
      [...new Set(proposedTransitions.map((t) => t.from))].map((from) => [from, proposedTransitions.filter((t) => t.from === from).map((t) => t.to)]),
    ),
    terminal: states.map((s) => s.state).filter((s) => !proposedTransitions.some((t) => t.from === s)),
    participants: participants.filter((p) => p.proposed).map((p) => p.service),
    agree: agree.services,
    settle_after: `${settleMinutes}m`,
    repeatable: repeatable.map((r) => r.operation),
  };
  const header = [
    `# Proposed by txdrift from ${n} observed ${txType} transactions. Review before saving as TXDRIFT_CONFIG.`,
    ...transitions.map((t) => `#   ${t.proposed ? 'proposed' : 'left out'}: ${t.from} -> ${t.to} seen ${t.count} times (${pct(t.share)} of moves from ${t.from})`),
    ...participants.map((p) => `#   ${p.proposed ? 'participant' : 'not a participant'}: ${p.service} reports on ${pct(p.share)} of transactions`),
    agree.services.length ? `#   agree: final states match on ${pct(agree.agreement)} of transactions` : '#   agree: no group of stateful services agrees often enough to propose one',
    ...repeatable.map((r) => `#   repeatable: ${r.operation} repeats without a key on ${pct(r.share)} of its transactions`),
    `#   settle_after: twice the 99th percentile of transaction duration (${Math.round(p99 / 1000)} s)`,
  ];
  const yaml = `${header.join('\n')}\n${stringify({ models: { [txType]: model } })}`;
  return { tx_type: txType, transactions: n, states, transitions, participants, agree, repeatable, settle_after: model.settle_after, yaml };
}

/**
 * The largest set of stateful participants whose final states match pairwise on ≥ 95% of
 * the transactions where both report one (greedy from the best-agreeing pair).
 */
function agreeGroup(txs: ObservedTx[], participants: string[]): { services: string[]; agreement: number } {
  const finals = txs.map((t) => {
    const last = new Map<string, string>();
    for (const s of t.steps) if (s.ok && s.state !== '') last.set(s.service, s.state);
    return last;
  });
  const stateful = participants.filter((svc) => finals.filter((f) => f.has(svc)).length >= 0.9 * txs.length);
  const agreementOf = (group: string[]) => {
    const both = finals.filter((f) => group.every((s) => f.has(s)));
    return both.length ? both.filter((f) => new Set(group.map((s) => f.get(s))).size === 1).length / both.length : 0;
  };
  const pairs = stateful.flatMap((a, i) => stateful.slice(i + 1).map((b) => ({ group: [a, b], agreement: agreementOf([a, b]) })));
  const best = pairs.sort((x, y) => y.agreement - x.agreement)[0];
  if (!best || best.agreement < 0.95) return { services: [], agreement: round(best?.agreement ?? 0) };
  const group = [...best.group];
  for (const svc of stateful) if (!group.includes(svc) && agreementOf([...group, svc]) >= 0.95) group.push(svc);
  return { services: stateful.filter((s) => group.includes(s)), agreement: round(agreementOf(group)) };
}

function countPerTx(txs: ObservedTx[], keys: (t: ObservedTx) => string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of txs) for (const k of new Set(keys(t))) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
