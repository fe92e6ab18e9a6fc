// A transaction model compiled for evaluation: which states are reachable from which
// (transitive closure of `transitions`), and the sets the rules look up. Pure.
import type { TxdriftConfig, TxModel } from '@/lib/domain/config';

export interface CompiledModel {
  txType: string;
  /** For each state, every state reachable from it through one or more transitions. */
  reachable: Map<string, Set<string>>;
  repeatable: Set<string>;
  /** Services expected to report: participants, and agree services (which must report to agree). */
  expected: string[];
  agree: string[];
  settleAfterMs: number;
}

export function compileModel(txType: string, m: TxModel): CompiledModel {
  const reachable = new Map<string, Set<string>>();
  for (const from of m.states) {
    const seen = new Set<string>();
    const stack = [...(m.transitions[from] ?? [])];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(m.transitions[s] ?? []));
    }
    reachable.set(from, seen);
  }
  const expected = [...m.participants];
  for (const s of m.agree) if (!expected.includes(s)) expected.push(s);
  return { txType, reachable, repeatable: new Set(m.repeatable), expected, agree: [...m.agree], settleAfterMs: m.settle_after };
}

export function compileModels(config: TxdriftConfig): Map<string, CompiledModel> {
  return new Map(Object.entries(config.models).map(([t, m]) => [t, compileModel(t, m)]));
}

/** True when the model allows a transaction to move from `from` to `to` (a state may always repeat). */
export function isAllowedMove(model: CompiledModel, from: string, to: string): boolean {
  return from === to || (model.reachable.get(from)?.has(to) ?? false);
}
