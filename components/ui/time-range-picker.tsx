'use client';
// Time range picker: quick ranges (15 min … 7 d), an absolute range, UTC / local, and the
// live refresh switch. Everything is written to the URL through useViewState.
import { useState } from 'react';
import { QUICK_RANGES, rangeParams, resolveRange } from '@/lib/format/time-range';
import type { ViewState } from './use-view-state';

const QUICK_LABEL = { '15m': '15 min', '1h': '1 h', '6h': '6 h', '24h': '24 h', '7d': '7 d' } as const;

/** datetime-local text for a time in UTC or the browser's zone. */
function toInput(ms: number, tz: 'utc' | 'local'): string {
  const d = new Date(tz === 'utc' ? ms : ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function fromInput(v: string, tz: 'utc' | 'local'): number {
  return tz === 'utc' ? Date.parse(`${v}:00Z`) : new Date(v).getTime();
}

export function TimeRangePicker({ view, fetching }: { view: ViewState; fetching?: boolean }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<{ from: string; to: string } | null>(null);
  const current = 'quick' in view.range ? view.range.quick : null;
  const openAbsolute = () => {
    const r = resolveRange(view.range, Date.now());
    setDraft({ from: toInput(r.from, view.tz), to: toInput(r.to, view.tz) });
    setOpen(true);
  };
  const apply = () => {
    if (!draft) return;
    const from = fromInput(draft.from, view.tz);
    const to = fromInput(draft.to, view.tz);
    if (Number.isFinite(from) && Number.isFinite(to) && from < to) {
      view.set(rangeParams({ from, to }));
      setOpen(false);
    }
  };
  return (
    <div className="toolbar" role="group" aria-label="Time range">
      <div className="group">
        {QUICK_RANGES.map((q) => (
          <button key={q} type="button" aria-pressed={current === q} onClick={() => view.set(rangeParams({ quick: q }))}>
            {QUICK_LABEL[q]}
          </button>
        ))}
        <button type="button" aria-pressed={current === null} aria-expanded={open} onClick={() => (open ? setOpen(false) : openAbsolute())}>
          Absolute…
        </button>
      </div>
      {open && draft && (
        <form className="form-row" onSubmit={(e) => (e.preventDefault(), apply())}>
          <label>
            From ({view.tz === 'utc' ? 'UTC' : 'local'})
            <input type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </label>
          <label>
            To
            <input type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </label>
          <button type="submit">Apply</button>
        </form>
      )}
      <div className="group">
        <button type="button" aria-pressed={view.tz === 'utc'} onClick={() => view.set({ tz: null })}>UTC</button>
        <button type="button" aria-pressed={view.tz === 'local'} onClick={() => view.set({ tz: 'local' })}>Local</button>
      </div>
      {'quick' in view.range && (
        <button type="button" aria-pressed={view.live} onClick={() => view.set({ live: view.live ? '0' : null })}>
          {view.live ? 'Live: on (pause)' : 'Live: paused (resume)'}
        </button>
      )}
      <span className="refreshing" aria-live="polite">{fetching ? 'Refreshing…' : ''}</span>
    </div>
  );
}
