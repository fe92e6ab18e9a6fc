'use client';
// Drag across a chart to select a time range: mouse down starts, moving extends, mouse up
// hands [from, to) to `onZoom`. Positions come from the hovered bucket's index.
import { useCallback, useState } from 'react';
import type { MouseHandlerDataParam } from 'recharts';

export function useDragZoom(times: number[], stepMs: number, onZoom?: (from: number, to: number) => void) {
  const [sel, setSel] = useState<{ a: number; b: number } | null>(null);
  const at = useCallback((s: MouseHandlerDataParam) => (typeof s.activeTooltipIndex === 'number' ? times[s.activeTooltipIndex] : undefined), [times]);
  const onMouseDown = useCallback((s: MouseHandlerDataParam) => {
    const t = at(s);
    if (onZoom && t !== undefined) setSel({ a: t, b: t });
  }, [at, onZoom]);
  const onMouseMove = useCallback((s: MouseHandlerDataParam) => {
    const t = at(s);
    if (t !== undefined) setSel((cur) => (cur ? { ...cur, b: t } : cur));
  }, [at]);
  const onMouseUp = useCallback(() => {
    setSel((cur) => {
      if (cur && onZoom && cur.a !== cur.b) onZoom(Math.min(cur.a, cur.b), Math.max(cur.a, cur.b) + stepMs);
      return null;
    });
  }, [onZoom, stepMs]);
  return { selection: sel && sel.a !== sel.b ? { x1: Math.min(sel.a, sel.b), x2: Math.max(sel.a, sel.b) } : null, handlers: { onMouseDown, onMouseMove, onMouseUp } };
}
