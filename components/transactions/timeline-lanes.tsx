'use client';
// The cross-service timeline: one lane per service, each event a button at its event time,
// a grey line from it to where it arrived (received_at), flagged events in red with their
// reasons in the label. Arrow keys move between events; Enter/Space selects.
import { memo, useRef, type KeyboardEvent } from 'react';
import { formatDuration, formatPrecise, type TimeZoneMode } from '@/lib/format/time';
import type { TimelineLayout } from '@/lib/format/timeline';

export const TimelineLanes = memo(function TimelineLanes({ layout, tz, selected, onSelect }: { layout: TimelineLayout; tz: TimeZoneMode; selected: string | null; onSelect: (key: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) return;
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button.evt') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[Math.min(buttons.length - 1, Math.max(0, i + (e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 1)))];
    next?.focus();
    e.preventDefault();
  };
  const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
  return (
    <div className="lanes" ref={ref} onKeyDown={onKey} data-testid="timeline">
      {layout.lanes.map((lane) => (
        <div className="lane" key={lane.service} data-testid={`lane-${lane.service}`}>
          <div className="lane-name">
            {lane.service}
            {lane.missing && <div className="badge bad">never reported</div>}
            {lane.events.length > 0 && (
              <div className="muted small" style={{ fontWeight: 400 }}>
                arrival lag up to {formatDuration(Math.max(...lane.events.map((p) => p.lagMs)))}
              </div>
            )}
          </div>
          <div className="lane-track" role="group" aria-label={`${lane.service} events`}>
            {lane.events.map((p) => {
              const flagged = p.reasons.length > 0;
              const label = `${p.event.operation}${p.event.state ? ` → ${p.event.state}` : ''}${p.event.status === 'error' ? ' (error)' : ''}${p.event.redelivered_copy ? ' (redelivered copy)' : ''}`;
              const lag = p.lagMs >= 1 ? `, arrived ${formatDuration(p.lagMs)} later` : '';
              return (
                <span key={p.key}>
                  {p.arrivalX > p.x && <span className="lag" style={{ left: pct(p.x), width: pct(p.arrivalX - p.x) }} aria-hidden="true" />}
                  <button
                    type="button"
                    className={`evt${flagged ? ' flagged' : ''}${p.event.redelivered_copy ? ' copy' : ''}${p.event.status === 'error' ? ' error' : ''}`}
                    style={{ left: pct(p.x) }}
                    aria-pressed={selected === p.key}
                    aria-label={`${lane.service} ${label} at ${formatPrecise(p.event.ts, tz)}${lag}${flagged ? `. ${p.reasons.map((r) => r.detail).join('; ')}` : ''}`}
                    title={`${label}\n${formatPrecise(p.event.ts, tz)}${lag}${flagged ? `\n${p.reasons.map((r) => r.detail).join('\n')}` : ''}`}
                    onClick={() => onSelect(p.key)}
                  />
                  <span className="evt-label" style={{ left: pct(p.x) }} aria-hidden="true">{p.event.operation}</span>
                </span>
              );
            })}
          </div>
        </div>
      ))}
      <div className="axis" aria-hidden="true">
        <div />
        <div className="ticks">
          {layout.ticks.map((t) => (
            <span key={t.x} style={{ left: pct(t.x) }}>{formatPrecise(t.t, tz).slice(11, 23)}</span>
          ))}
        </div>
      </div>
    </div>
  );
});
