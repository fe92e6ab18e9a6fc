// The overview of a production build on an empty store: a first-event command that works
// as written, then, once events arrive through the public ingest API, tiles and the
// per-service breakdown instead of the empty state.
import { expect, test } from '@playwright/test';

test('the overview guides the first event, then shows what arrived', async ({ page, request }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Send your first event' })).toBeVisible();
  await expect(page.locator('pre code')).toContainText('/v1/events');
  await page.screenshot({ path: testInfo.outputPath('home-empty.png'), fullPage: true });

  const now = Date.now();
  const lines = [
    { event_id: 'e2e-1', tx_id: 'pay-e2e', service: 'api', operation: 'authorize', state: 'authorized', ts: now - 3000 },
    { event_id: 'e2e-2', tx_id: 'pay-e2e', service: 'payments', operation: 'capture', state: 'captured', ts: now - 2000 },
    { event_id: 'e2e-3', tx_id: 'pay-e2e', service: 'ledger', operation: 'post', state: 'captured', ts: now - 1000 },
  ];
  const res = await request.post('/v1/events', {
    headers: { 'content-type': 'application/x-ndjson' },
    data: lines.map((l) => JSON.stringify(l)).join('\n'),
  });
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ accepted: 3, rejected: 0 });

  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Send your first event' })).toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const table = page.getByTestId('breakdown');
  for (const service of ['api', 'payments', 'ledger']) await expect(table.getByRole('button', { name: service, exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('home-with-events.png'), fullPage: true });
});
