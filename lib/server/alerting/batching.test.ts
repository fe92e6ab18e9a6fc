import { describe, expect, it } from 'vitest';
import { formBatches, type BatchItem } from './batching';

const item = (id: string, created: number, extra: Partial<BatchItem> = {}): BatchItem => ({
  notification_id: id, transition: 'firing', created_ms: created, attempts: 0, last_batch_id: '', ...extra,
});
const ids = (bs: BatchItem[][]) => bs.map((b) => b.map((i) => i.notification_id));

describe('formBatches', () => {
  it('without a group wait every notification goes alone, at once', () => {
    expect(ids(formBatches([item('a', 0), item('b', 1)], 0, 1))).toEqual([['a'], ['b']]);
  });

  it('waits for the group wait, then batches what opened within it', () => {
    const items = [item('a', 1_000), item('b', 20_000), item('c', 40_000), item('r', 2_000, { transition: 'resolved' })];
    expect(ids(formBatches(items, 30_000, 30_000))).toEqual([]);
    expect(ids(formBatches(items, 30_000, 31_000))).toEqual([['a', 'b']]);
    expect(ids(formBatches(items, 30_000, 70_000))).toEqual([['a', 'b'], ['r'], ['c']]);
  });

  it('keeps a retried batch together, whatever the group wait', () => {
    const items = [item('a', 0, { attempts: 1, last_batch_id: 'B' }), item('b', 5, { attempts: 1, last_batch_id: 'B' }), item('c', 7, { attempts: 2, last_batch_id: 'c' })];
    expect(ids(formBatches(items, 30_000, 10))).toEqual([['a', 'b'], ['c']]);
  });
});
