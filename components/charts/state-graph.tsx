// Presentational state graph (SVG): states as boxes, transitions as arrows; edges observed
// in data but not in the configured model are dashed.
import { memo } from 'react';
import { NODE_H, NODE_W, type GraphLayout } from '@/lib/format/state-graph';

export const StateGraph = memo(function StateGraph({ graph, title }: { graph: GraphLayout; title: string }) {
  const at = new Map(graph.nodes.map((n) => [n.id, n]));
  const pad = 12;
  return (
    <div className="graph">
      <svg viewBox={`${-pad} ${-pad} ${graph.width + 2 * pad} ${graph.height + 2 * pad}`} width={graph.width + 2 * pad} role="img" aria-label={title}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
          </marker>
        </defs>
        {graph.edges.map((e) => {
          const a = at.get(e.from)!;
          const b = at.get(e.to)!;
          const back = b.x <= a.x;
          const x1 = back ? a.x + NODE_W / 2 : a.x + NODE_W;
          const y1 = back ? a.y + NODE_H : a.y + NODE_H / 2;
          const x2 = back ? b.x + NODE_W / 2 : b.x;
          const y2 = back ? b.y + NODE_H : b.y + NODE_H / 2;
          const d = back ? `M ${x1} ${y1} C ${x1} ${y1 + 40}, ${x2} ${y2 + 40}, ${x2} ${y2}` : `M ${x1} ${y1} C ${(x1 + x2) / 2} ${y1}, ${(x1 + x2) / 2} ${y2}, ${x2} ${y2}`;
          return (
            <g key={`${e.from}->${e.to}`} style={{ color: e.unlisted ? 'var(--bad)' : 'var(--muted)' }}>
              <path d={d} className={`edge${e.unlisted ? ' unlisted' : ''}`} markerEnd="url(#arrow)" />
              {e.label && <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 4} textAnchor="middle" fontSize="10">{e.label}</text>}
            </g>
          );
        })}
        {graph.nodes.map((n) => (
          <g key={n.id} className={`node${n.terminal ? ' terminal' : ''}`} transform={`translate(${n.x},${n.y})`}>
            <rect width={NODE_W} height={NODE_H} rx={6} />
            <text x={NODE_W / 2} y={NODE_H / 2 + 4} textAnchor="middle">{n.id}</text>
          </g>
        ))}
      </svg>
    </div>
  );
});
