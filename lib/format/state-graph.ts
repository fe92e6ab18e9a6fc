// Layout of a transaction model as a state graph: states in columns by their distance from
// the first state (breadth first over the transitions), unreachable states in a last
// column, edges from the transitions. Pure.

export interface GraphNode { id: string; x: number; y: number; terminal: boolean }
export interface GraphEdge { from: string; to: string; label?: string; unlisted?: boolean }
export interface GraphLayout { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number }

export const NODE_W = 120;
export const NODE_H = 32;
const GAP_X = 70;
const GAP_Y = 24;

export function layoutStateGraph(states: string[], edges: GraphEdge[], terminal: string[] = []): GraphLayout {
  const depth = new Map<string, number>();
  if (states[0] !== undefined) depth.set(states[0], 0);
  const queue = states.slice(0, 1);
  while (queue.length) {
    const s = queue.shift()!;
    for (const e of edges) {
      if (e.from === s && e.to !== s && !depth.has(e.to) && states.includes(e.to)) {
        depth.set(e.to, depth.get(s)! + 1);
        queue.push(e.to);
      }
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  for (const s of states) if (!depth.has(s)) depth.set(s, maxDepth + 1);
  const columns = new Map<number, string[]>();
  for (const s of states) columns.set(depth.get(s)!, [...(columns.get(depth.get(s)!) ?? []), s]);
  const nodes = states.map((s) => {
    const col = depth.get(s)!;
    const row = columns.get(col)!.indexOf(s);
    return { id: s, x: col * (NODE_W + GAP_X), y: row * (NODE_H + GAP_Y), terminal: terminal.includes(s) };
  });
  const cols = Math.max(1, ...[...columns.keys()].map((c) => c + 1));
  const rows = Math.max(1, ...[...columns.values()].map((c) => c.length));
  return { nodes, edges: edges.filter((e) => e.from !== e.to && states.includes(e.from) && states.includes(e.to)), width: cols * (NODE_W + GAP_X) - GAP_X, height: rows * (NODE_H + GAP_Y) - GAP_Y };
}

/** The transitions of a configured model as edges. */
export function edgesOfModel(transitions: Record<string, string[]>): GraphEdge[] {
  return Object.entries(transitions).flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
}
