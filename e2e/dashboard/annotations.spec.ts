import type { Locator, Page } from '@playwright/test';
import { formatInterval, formatValue, readingOf } from '../../components/annotations/compare-reading.ts';
import type { CompareResult } from '../../lib/metrics/compare-schemas.ts';
import type { WeeklyMetrics } from '../../lib/metrics/schemas.ts';
import { expectAccessible } from '../axe.ts';
import { expect as baseExpect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';
import { addTeam, createOrg, signInAs } from './fresh-org.ts';

const DAY_MS = 86_400_000;

async function signInToDemo(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/);
  // The first visit after the server starts waits for the rollups: let the overview finish first.
  await expect(page.getByTestId('overview-table')).toBeVisible({ timeout: 60_000 });
}

test.describe.configure({ timeout: 300_000 });
// A shared, busy machine: the server's answers can take seconds.
const expect = baseExpect.configure({ timeout: 20_000 });

interface ListedAnnotation { id: string; team: string | null; date: string; label: string; description: string | null }

async function listed(page: Page, org: string, team: string): Promise<ListedAnnotation[]> {
  return (await (await page.request.get(`/api/orgs/${org}/annotations?team=${team}`)).json()).annotations;
}

/** The panel's before/after table holds exactly the compare API's figures, and reads them as the rule says. */
async function expectCompareMatches(panel: Locator, api: CompareResult) {
  const table = panel.getByTestId('compare-table');
  await expect(table.locator('tbody tr[data-metric]')).toHaveCount(api.metrics.length);
  for (const m of api.metrics) {
    const row = table.locator(`tr[data-metric="${m.metric}"]`);
    await expect(row.getByTestId('before')).toHaveAttribute('data-value', String(m.before.median ?? ''));
    await expect(row.getByTestId('before')).toHaveText(formatValue(m.metric, m.before.median));
    await expect(row.getByTestId('after')).toHaveAttribute('data-value', String(m.after.median ?? ''));
    await expect(row.getByTestId('after')).toHaveText(formatValue(m.metric, m.after.median));
    await expect(row.getByTestId('before-n')).toHaveText(`n = ${m.before.n}`);
    await expect(row.getByTestId('after-n')).toHaveText(`n = ${m.after.n}`);
    await expect(row.getByTestId('difference')).toHaveAttribute('data-value', String(m.difference ?? ''));
    await expect(row.getByTestId('difference')).toHaveText(formatValue(m.metric, m.difference, true));
    await expect(row.getByTestId('interval')).toHaveAttribute('data-low', String(m.ci95?.low ?? ''));
    await expect(row.getByTestId('interval')).toHaveAttribute('data-high', String(m.ci95?.high ?? ''));
    await expect(row.getByTestId('interval')).toHaveText(formatInterval(m.metric, m.ci95));
    const reading = readingOf(m, 5);
    await expect(row.getByTestId('reading')).toHaveAttribute('data-verdict', reading.verdict);
    await expect(row.getByTestId('reading')).toHaveText(reading.text);
  }
}

test('adding an annotation lists it, and its before/after panel shows the compare API figures; deleting removes it', async ({ page }) => {
  await signInToDemo(page);
  await page.goto('/demo/teams/platform');
  const panel = page.getByTestId('annotations-panel');
  const list = panel.getByTestId('annotations-list');
  await expect(list).toBeVisible();
  // The seeded org-wide annotation shows on every team's page, the harness team's only on its own.
  const before = await listed(page, 'demo', 'platform');
  await expect(list.locator('tbody tr')).toHaveCount(before.length);
  expect(before.some((a) => a.team === null)).toBe(true);
  for (const a of before) await expect(list.locator(`tr[data-annotation="${a.id}"]`)).toContainText(a.label);

  // A Monday six weeks back: six weeks of merged work after it, eight before.
  const current = (await (await page.request.get('/api/orgs/demo/metrics/weekly')).json()) as WeeklyMetrics;
  const date = new Date(new Date(`${current.weeks.at(-1)!.weekStart}T00:00:00Z`).getTime() - 6 * 7 * DAY_MS).toISOString().slice(0, 10);
  const label = `adopted automated test harness ${Date.now().toString(36)}`;
  const form = panel.getByRole('form', { name: 'Add an annotation' });
  await form.getByLabel('Date').fill(date);
  await form.getByLabel('What changed').fill(label);
  await form.getByLabel('Details (optional)').fill('Hermetic CI harness for every service');
  await form.getByRole('radio', { name: 'Platform' }).check();
  await form.getByRole('button', { name: 'Add annotation' }).click();

  const row = list.locator('tr', { hasText: label });
  await expect(row).toBeVisible();
  const after = await listed(page, 'demo', 'platform');
  const created = after.find((a) => a.label === label)!;
  expect(created).toMatchObject({ team: 'platform', date, description: 'Hermetic CI harness for every service' });
  await expect(row).toHaveAttribute('data-annotation', created.id);
  await expect(row.locator('time')).toHaveAttribute('datetime', date);
  // The new annotation is selected (in the URL) and compared at once.
  await expect(page).toHaveURL(new RegExp(`annotation=${created.id}`));
  const compare = panel.getByTestId('compare-panel');
  const api = (await (await page.request.get(`/api/orgs/demo/metrics/compare?annotation=${created.id}&team=platform&weeks=8`)).json()) as CompareResult;
  expect(api.metrics.some((m) => m.difference !== null)).toBe(true);
  await expectCompareMatches(compare, api);
  await expect(compare.getByTestId('compare-windows')).toContainText('8 weeks before');
  await expect(page.getByRole('status').filter({ hasText: `Added “${label}”` })).toBeAttached();
  await expectAccessible(page);
  await screenshot(page, 'annotations-compare');

  // Four weeks on each side: the URL keeps it and the figures follow the API's.
  await compare.getByLabel('Weeks on each side').selectOption('4');
  await expect(page).toHaveURL(/compareWeeks=4/);
  const api4 = (await (await page.request.get(`/api/orgs/demo/metrics/compare?annotation=${created.id}&team=platform&weeks=4`)).json()) as CompareResult;
  await expect(compare.getByTestId('compare-windows')).toContainText('4 weeks before');
  await expectCompareMatches(compare, api4);

  // The link reproduces the view.
  await page.reload();
  await expect(panel.getByTestId('compare-panel')).toBeVisible();
  await expect(panel.getByTestId('compare-panel').getByLabel('Weeks on each side')).toHaveValue('4');
  await expectCompareMatches(panel.getByTestId('compare-panel'), api4);

  // Org-wide: shows on another team's page too.
  const orgLabel = `Copilot for everyone ${Date.now().toString(36)}`;
  await form.getByLabel('What changed').fill(orgLabel);
  await form.getByRole('radio', { name: 'Whole organization' }).check();
  await form.getByRole('button', { name: 'Add annotation' }).click();
  await expect(list.locator('tr', { hasText: orgLabel })).toContainText('Whole organization');
  expect((await listed(page, 'demo', 'mobile')).find((a) => a.label === orgLabel)).toMatchObject({ team: null });
  expect((await listed(page, 'demo', 'mobile')).find((a) => a.label === label)).toBeUndefined();

  // Delete (after a confirmation): gone from the panel and the API.
  for (const text of [label, orgLabel]) {
    const r = list.locator('tr', { hasText: text });
    await r.getByRole('button', { name: `Delete ${text}` }).click();
    await r.getByRole('button', { name: `Confirm delete of ${text}` }).click();
    await expect(list.locator('tr', { hasText: text })).toHaveCount(0);
  }
  expect((await listed(page, 'demo', 'platform')).map((a) => a.label)).toEqual(before.map((a) => a.label));
  await expect(panel.getByTestId('compare-panel')).toHaveCount(0);
});

test('a member deletes only their own annotations', async ({ page, context, baseURL }) => {
  const slug = `notes-${Date.now().toString(36)}`;
  createOrg(slug, 'Notes Co');
  await addTeam(slug, { slug: 'core', name: 'Core' });
  await signInAs(context, baseURL!, slug, 'member');
  await page.goto(`/${slug}/teams/core`);
  const panel = page.getByTestId('annotations-panel');
  // Empty state: says what to do.
  await expect(panel.getByTestId('annotations-empty')).toContainText('No annotations yet');
  await expectAccessible(page);
  await screenshot(page, 'annotations-empty');

  // Someone else's annotation (made through the API by another member) has no Delete button for this member.
  const other = await page.context().browser()!.newContext({ baseURL });
  await signInAs(other, baseURL!, slug, 'member');
  const res = await other.request.post(`/api/orgs/${slug}/annotations`, { data: { teamSlug: 'core', date: '2026-01-05', label: 'Trunk-based development' } });
  expect(res.status()).toBe(201);
  await other.close();

  await panel.getByRole('form', { name: 'Add an annotation' }).getByLabel('What changed').fill('Pair reviews');
  await panel.getByRole('button', { name: 'Add annotation' }).click();
  const list = panel.getByTestId('annotations-list');
  await expect(list.locator('tbody tr')).toHaveCount(2);
  await expect(list.locator('tr', { hasText: 'Trunk-based development' }).getByRole('button', { name: /^Delete/ })).toHaveCount(0);
  await expect(list.locator('tr', { hasText: 'Pair reviews' }).getByRole('button', { name: 'Delete Pair reviews' })).toBeVisible();
  // No merged work in an empty org: every metric has too few items to compare.
  const compare = panel.getByTestId('compare-panel');
  await expect(compare.getByTestId('reading')).toHaveCount(5);
  for (const r of await compare.getByTestId('reading').all()) await expect(r).toHaveAttribute('data-verdict', 'too-few');
});

test('the panel shows a skeleton while loading and a retry after a failed load', async ({ page }) => {
  await signInToDemo(page);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/orgs/demo/annotations?*', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/demo/teams/payments');
  const panel = page.getByTestId('annotations-panel');
  await expect(panel.getByTestId('annotations-loading')).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'annotations-loading');
  release();
  await expect(panel.getByTestId('annotations-list')).toBeVisible();
  await page.unroute('**/api/orgs/demo/annotations?*');

  // The panel's list request fails (the chart's own, dated request is left alone) until the server is back: an error with Retry.
  let failing = true;
  await page.route(
    (url) => url.pathname === '/api/orgs/demo/annotations' && !url.searchParams.has('from'),
    (route) => (failing ? route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'Something went wrong on our side' } } }) : route.continue()),
  );
  await page.goto('/demo/teams/growth');
  const alert = panel.getByRole('alert').filter({ hasText: 'Could not load the annotations' });
  await expect(alert).toBeVisible({ timeout: 15_000 });
  await expectAccessible(page);
  await screenshot(page, 'annotations-error');
  failing = false;
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(panel.getByTestId('annotations-list')).toBeVisible();
  await expect(alert).toHaveCount(0);
});
