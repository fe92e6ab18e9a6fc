'use client';
// The configured transaction model as a state graph, beside the model suggested from the
// last days of data (transitions seen but not configured are dashed red).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { StateGraph } from '@/components/charts/state-graph';
import { ErrorState, Loading } from '@/components/ui/states';
import { useViewState } from '@/components/ui/use-view-state';
import { formatPercent } from '@/lib/format/number';
import { edgesOfModel, layoutStateGraph } from '@/lib/format/state-graph';
import { formatDuration } from '@/lib/format/time';
import { modelsQuery, suggestionQuery } from '@/lib/queries/model';

export function ModelPanel() {
  const view = useViewState();
  const models = useQuery(modelsQuery());
  const types = Object.keys(models.data?.models ?? {});
  const txType = view.get('tx_type') ?? types[0] ?? 'payment';
  const days = Number(view.get('days') ?? 7) || 7;
  const model = models.data?.models[txType];
  const suggestion = useQuery(suggestionQuery(txType, days));
  const configured = useMemo(() => (model ? layoutStateGraph(model.states, edgesOfModel(model.transitions), model.terminal) : null), [model]);
  const learned = useMemo(() => {
    const s = suggestion.data;
    if (!s) return null;
    const allowed = new Set(model ? edgesOfModel(model.transitions).map((e) => `${e.from}>${e.to}`) : []);
    const edges = s.transitions.filter((t) => t.proposed).map((t) => ({ from: t.from, to: t.to, label: formatPercent(t.share), unlisted: Boolean(model) && !allowed.has(`${t.from}>${t.to}`) }));
    return layoutStateGraph(s.states.map((x) => x.state), edges);
  }, [suggestion.data, model]);

  return (
    <>
      <form className="form-row" onSubmit={(e) => e.preventDefault()} style={{ marginBottom: '1rem' }}>
        <label>
          Transaction type
          <select value={txType} onChange={(e) => view.set({ tx_type: e.target.value })}>
            {[...new Set([...types, txType])].map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        <label>
          Learn from the last
          <select value={days} onChange={(e) => view.set({ days: e.target.value })}>
            {[1, 7, 30].map((d) => <option key={d} value={d}>{d} day{d > 1 ? 's' : ''}</option>)}
          </select>
        </label>
      </form>
      <div className="grid2">
        <section className="card" aria-labelledby="configured">
          <h2 id="configured" style={{ marginTop: 0 }}>Configured (TXDRIFT_CONFIG)</h2>
          {models.isPending ? <Loading height={200} /> : models.isError ? <ErrorState error={models.error} /> : !model || !configured ? (
            <p className="muted">No model for {txType} in TXDRIFT_CONFIG: only the checks that need none run (redelivery, duplicate execution, sequence, causation). The suggestion beside it is a starting point.</p>
          ) : (
            <>
              <StateGraph graph={configured} title={`${txType} model: states and allowed transitions`} />
              <ul className="small">
                <li>Participants (must all report): {model.participants.join(', ') || 'none'}</li>
                <li>Must agree on the final state: {model.agree.join(', ') || 'none'}</li>
                <li>Divergence judged {formatDuration(model.settle_after)} after the last event arrives</li>
                <li>May repeat: {model.repeatable.join(', ') || 'none'}</li>
              </ul>
            </>
          )}
        </section>
        <section className="card" aria-labelledby="learned">
          <h2 id="learned" style={{ marginTop: 0 }}>Suggested from data</h2>
          {suggestion.isPending ? <Loading height={200} /> : suggestion.isError ? <ErrorState error={suggestion.error} /> : (
            <>
              <p className="small muted">Learned from {suggestion.data.transactions} {txType} transactions; edge labels are how often the move was seen. Dashed red: seen in data, not allowed by the configured model.</p>
              {learned && <StateGraph graph={learned} title={`${txType} transitions seen in data`} />}
              <ul className="small">
                <li>Participants: {suggestion.data.participants.filter((p) => p.proposed).map((p) => `${p.service} (${formatPercent(p.share)})`).join(', ') || 'none'}</li>
                <li>Agree: {suggestion.data.agree.services.join(', ') || 'none'} ({formatPercent(suggestion.data.agree.agreement)} agreement)</li>
                <li>Settle after: {suggestion.data.settle_after}</li>
              </ul>
              <details>
                <summary>YAML to review and save as TXDRIFT_CONFIG</summary>
                <pre>{suggestion.data.yaml}</pre>
              </details>
            </>
          )}
        </section>
      </div>
    </>
  );
}
