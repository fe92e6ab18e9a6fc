// Incident-review journeys in Chromium against the production build, on data seeded through
// the public ingest API: overview → anomaly → transaction timeline, a filtered URL that
// reproduces its view, and CSV exports that hold exactly the listed rows.
import { readFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { AnomalyPage, OverviewPage, TransactionPage } from './pages';
import { burstEpisode, seed, SHOWCASE, showcaseJudged } from './seed';

test.describe.configure({ mode: 'serial' });

let episodeId = '';

test.beforeAll(async ({ request }) => {
  await seed(request);
  episodeId = await burstEpisode(request);
  await showcaseJudged(request);
});

/** A screenshot as a test artifact, and under docs/ when UPDATE_DOCS_SCREENSHOTS=1. */
async function shot(page: Page, info: TestInfo, name: string, docs?: string) {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
  if (docs && process.env.UPDATE_DOCS_SCREENSHOTS === '1') await page.screenshot({ path: `docs/${docs}`, fullPage: false });
}

test('the overview shows drift charts with data, the episode, and the service that drives it', async ({ page }, info) => {
  const overview = new OverviewPage(page);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await overview.goto('?range=6h');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(overview.tile('events')).toContainText(/\d/);
  const dup = overview.drift('duplicate_execution');
  await expect(dup.locator('svg .recharts-line').first()).toBeVisible();
  await expect(dup).toContainText(/[1-9]\d* of [\d,]+ transactions in this range/);
  await expect(dup.getByRole('link', { name: /Duplicate execution on payments/ })).toBeVisible();
  await expect(overview.breakdown.getByRole('row').nth(1)).toContainText('payments');
  await shot(page, info, 'overview', 'overview.png');

  await dup.getByText('Show as table').click();
  await expect(dup.locator('tr.hot').first()).toBeVisible();
});

test('an anomaly opens its detail, and from there a transaction with every lane and the reason', async ({ page }, info) => {
  const overview = new OverviewPage(page);
  await overview.goto('?range=6h');
  await overview.drift('duplicate_execution').getByRole('link', { name: /Duplicate execution on payments/ }).first().click();
  await expect(page).toHaveURL(new RegExp(`/anomalies/${episodeId}`));
  const anomaly = new AnomalyPage(page);
  await expect(anomaly.evidence).toHaveText(/^40 of [\d,]+ transactions on payments were executed twice, expected (about \d+|fewer than 1)/);
  await expect(anomaly.chart.locator('svg')).toBeVisible();
  await expect(page.getByTestId('attribution')).toContainText('eu-west-1');
  await expect(page.getByTestId('notifications-section')).toContainText(/notification|delivered|failed|pending|Could not load/);
  await shot(page, info, 'anomaly');

  await anomaly.affected.getByRole('link').first().click();
  const tx = new TransactionPage(page);
  for (const s of ['api', 'payments', 'ledger']) await expect(tx.lane(s).locator('button.evt').first()).toBeVisible();
  await expect(tx.lane('payments').locator('button.evt.flagged')).toHaveCount(2);
  await expect(tx.reasons).toContainText(/Executed twice on payments: capture executed 2 times/);
  await shot(page, info, 'transaction');
});

test('the showcase transaction: found by its idempotency key, every problem highlighted in words', async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.goto(`/transactions?q=${SHOWCASE}:capture`);
  await page.getByTestId('search-results').getByRole('link', { name: SHOWCASE }).click();
  const tx = new TransactionPage(page);
  await expect(tx.lane('api').locator('button.evt')).toHaveCount(2);
  await expect(tx.lane('payments').locator('button.evt.copy')).toHaveCount(1);
  await expect(tx.reasons).toContainText('Duplicate delivery');
  await expect(tx.reasons).toContainText(/Stale or invalid transition on api: pending after captured/);
  await expect(tx.reasons).toContainText(/Divergence: services disagree/);
  await expect(tx.path.locator('.step.bad')).toContainText('pending');
  await expect(tx.finalStates.locator('.card.bad')).toHaveCount(2);
  await expect(tx.finalStates.locator('.card.bad').first()).toContainText(/ledger|payments/);
  await tx.lane('ledger').locator('button.evt').click();
  await expect(page.getByTestId('selected-event').locator('pre')).toContainText(`"event_id": "${SHOWCASE}-4"`);
  await shot(page, info, 'timeline', 'transaction-timeline.png');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { tx_id: string; events: unknown[] };
  expect(exported.tx_id).toBe(SHOWCASE);
  expect(exported.events).toHaveLength(5);
});

test('a URL copied from a filtered view reproduces it', async ({ page, browser }, info) => {
  await page.goto('/anomalies?range=24h');
  await page.getByLabel('Signal').selectOption('duplicate_execution');
  await page.getByLabel('Service').selectOption('payments');
  await expect(page).toHaveURL(/signal=duplicate_execution/);
  await expect(page).toHaveURL(/service=payments/);
  // Rows of the previous filters stay on screen, dimmed and aria-busy, until the new ones arrive.
  await expect(page.getByTestId('anomaly-list')).toHaveAttribute('aria-busy', 'false');
  const rows = await page.getByTestId('anomaly-list').getByRole('row').allTextContents();
  expect(rows.length).toBeGreaterThan(1);
  await shot(page, info, 'anomalies');

  const other = await browser.newPage();
  await other.goto(page.url());
  await expect(other.getByLabel('Signal')).toHaveValue('duplicate_execution');
  await expect(other.getByLabel('Service')).toHaveValue('payments');
  await expect(other.getByRole('button', { name: '24 h' })).toHaveAttribute('aria-pressed', 'true');
  await expect(other.getByTestId('anomaly-list')).toHaveAttribute('aria-busy', 'false');
  expect(await other.getByTestId('anomaly-list').getByRole('row').allTextContents()).toEqual(rows);
  await other.close();
});

test('CSV export downloads exactly the listed rows', async ({ page }, info) => {
  await page.goto('/transactions?range=6h&flag=duplicate_execution');
  const links = page.getByTestId('transaction-list').locator('tbody tr td:first-child a');
  await expect(links.first()).toBeVisible();
  const listed = await links.allTextContents();
  await shot(page, info, 'transactions');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export these rows as CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8').trim().split('\r\n');
  expect(csv[0]).toBe('tx_id,tx_type,first_ts,services,flags,reasons');
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(listed);

  await page.goto(`/anomalies/${episodeId}`);
  const cells = new AnomalyPage(page).affected.locator('tbody tr td:first-child');
  await expect(cells).toHaveCount(40);
  const affected = await cells.allTextContents();
  const d2 = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export these rows as CSV' }).click();
  const rows = readFileSync(await (await d2).path(), 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(',')[0]);
  expect(rows).toEqual(affected);
});

test('the model page draws the configured model beside the one learned from data; the alerts page lists its sections', async ({ page }, info) => {
  await page.goto('/model?tx_type=payment');
  await expect(page.getByRole('img', { name: 'payment model: states and allowed transitions' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'payment transitions seen in data' })).toBeVisible();
  await expect(page.getByText(/Learned from [\d,]+ payment transactions/)).toBeVisible();
  await shot(page, info, 'model');

  await page.goto('/alerts');
  for (const name of ['Destinations', 'Rules', 'Delivery log']) await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByText('No destination yet')).toBeVisible();
  await expect(page.getByText(/No rule: anomalies are detected/)).toBeVisible();
  await shot(page, info, 'alerts');
});
