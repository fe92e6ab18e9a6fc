// Group wait: notifications of one transition that become due for one destination within
// `groupWaitMs` of the oldest are sent together as one batch, once the oldest has waited
// that long. A retried batch keeps its members (so it keeps its webhook-id). Pure.

export interface BatchItem {
  notification_id: string;
  transition: string;
  created_ms: number;
  attempts: number;
  last_batch_id: string;
}

const MAX_BATCH = 50;

export function formBatches<T extends BatchItem>(items: T[], groupWaitMs: number, nowMs: number): T[][] {
  const batches: T[][] = [];
  const retries = new Map<string, T[]>();
  for (const it of items.filter((i) => i.attempts > 0)) {
    const key = it.last_batch_id || it.notification_id;
    retries.set(key, [...(retries.get(key) ?? []), it]);
  }
  batches.push(...retries.values());
  const firsts = items.filter((i) => i.attempts === 0);
  for (const transition of new Set(firsts.map((i) => i.transition))) {
    let rest = firsts.filter((i) => i.transition === transition).sort((a, b) => a.created_ms - b.created_ms || a.notification_id.localeCompare(b.notification_id));
    while (rest.length > 0) {
      const closes = rest[0]!.created_ms + groupWaitMs;
      if (closes > nowMs) break;
      const batch = rest.filter((i) => i.created_ms <= closes).slice(0, groupWaitMs === 0 ? 1 : MAX_BATCH);
      batches.push(batch);
      rest = rest.filter((i) => !batch.includes(i));
    }
  }
  return batches.sort((a, b) => a[0]!.created_ms - b[0]!.created_ms);
}
