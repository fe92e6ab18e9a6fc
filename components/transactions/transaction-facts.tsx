// The verdict in words: the reasons (each naming its events), the merged state path with
// the invalid step marked, and each service's final state side by side.
import type { FlagReason } from '@/lib/analysis/flags';
import type { StateStep } from '@/lib/format/timeline';
import { FlagBadge } from '@/components/ui/flag-badge';

const RULE_WORDS: Record<string, string> = {
  redelivery: 'Duplicate delivery',
  duplicate_execution: 'Executed twice',
  sequence_regression: 'Out of order (sequence went back)',
  causation_inversion: 'Out of order (effect before its cause)',
  invalid_transition: 'Stale or invalid transition',
  missing_participant: 'Divergence: a service never reported',
  conflicting_states: 'Divergence: services disagree',
};

export function ReasonList({ reasons, onShow }: { reasons: FlagReason[]; onShow: (eventId: string) => void }) {
  if (reasons.length === 0) return <p className="muted">No flag: every rule holds for this transaction.</p>;
  return (
    <ul className="reasons" data-testid="reasons">
      {reasons.map((r, i) => (
        <li key={i}>
          <FlagBadge flag={r.flag} /> <strong>{RULE_WORDS[r.rule] ?? r.rule}</strong> on {r.service}: {r.detail}
          {r.event_ids.length > 0 && (
            <span className="small">
              {' '}— events{' '}
              {r.event_ids.map((id) => (
                <button key={id} type="button" className="small" onClick={() => onShow(id)} style={{ marginRight: 4 }}>
                  {id}
                </button>
              ))}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

export function StatePath({ path }: { path: StateStep[] }) {
  if (path.length === 0) return <p className="muted">No event carried a state.</p>;
  return (
    <div className="path" data-testid="state-path">
      {path.map((s, i) => (
        <span key={`${s.event_id}-${i}`} style={{ display: 'contents' }}>
          {i > 0 && <span aria-hidden="true">→</span>}
          <span className={`step${s.reason ? ' bad' : ''}`} title={s.reason?.detail}>
            {s.state} <span className="muted small">({s.service})</span>
            {s.reason && <span className="small"> — {s.reason.detail}</span>}
          </span>
        </span>
      ))}
    </div>
  );
}

export function FinalStates({ states, missing, divergent }: { states: { service: string; state: string }[]; missing: string[]; divergent: Set<string> }) {
  return (
    <div className="states-side" data-testid="final-states">
      {states.map((s) => (
        <div key={s.service} className={`card${divergent.has(s.service) ? ' bad' : ''}`}>
          <div className="muted small">{s.service}</div>
          <strong>{s.state}</strong>
          {divergent.has(s.service) && <div className="badge bad">disagrees</div>}
        </div>
      ))}
      {missing.map((m) => (
        <div key={m} className="card bad">
          <div className="muted small">{m}</div>
          <strong>no event</strong>
          <div className="badge bad">never reported</div>
        </div>
      ))}
    </div>
  );
}
