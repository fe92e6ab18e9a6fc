import { describe, expect, it } from 'vitest';
import { edgesOfModel, layoutStateGraph } from './state-graph';

describe('state graph layout', () => {
  it('puts states in columns by distance from the first, unreachable ones last', () => {
    const edges = edgesOfModel({ pending: ['authorized', 'failed'], authorized: ['captured'], captured: ['settled'] });
    const g = layoutStateGraph(['pending', 'authorized', 'captured', 'settled', 'failed', 'orphan'], edges, ['settled', 'failed']);
    const col = (id: string) => g.nodes.find((n) => n.id === id)!.x / 190;
    expect(['pending', 'authorized', 'failed', 'captured', 'settled', 'orphan'].map(col)).toEqual([0, 1, 1, 2, 3, 4]);
    expect(g.nodes.find((n) => n.id === 'failed')).toMatchObject({ y: 56, terminal: true });
    expect(g.edges).toHaveLength(4);
    expect(g.width).toBe(4 * 190 + 120);
  });
});
