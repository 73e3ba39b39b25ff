import { existsSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import { expect as baseExpect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';

// The team page draws eight charts: on a busy machine it can take a while, so allow for it.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 240_000 });
test.use({ viewport: { width: 1280, height: 900 } });

// The drill-down dialog (components/drilldown) on the team page: the rows behind a weekly figure,
// equal to the weekly API's figure, sortable, kept in the URL, closed with Escape.

const TEAM = 'platform';

async function signInToDemo(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/);
}

interface Week { weekStart: string; prsMerged: number; ticketToMergeP50Hours: number | null; aiLinesAdded: number; tokens: number }

/** The last full week of the team (the default range ends with the current week) and its figures, from the weekly API. */
async function lastFullWeek(page: Page): Promise<Week> {
  const res = await page.request.get(`/api/orgs/demo/metrics/weekly?team=${TEAM}`);
  expect(res.status()).toBe(200);
  const { weeks } = (await res.json()) as { weeks: Week[] };
  return weeks[weeks.length - 2]!;
}

async function drilldownApi(page: Page, query: string) {
  const res = await page.request.get(`/api/orgs/demo/metrics/drilldown?${query}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as { rows: Record<string, unknown>[]; sort: string; order: string };
}

const drillUrl = (metric: string, week: string, label: string, team: string = TEAM) =>
  `/demo/teams/${team}?drill=${metric}&dweek=${week}&dteam=${team}&dlabel=${encodeURIComponent(label)}`;

/** The text of column `col` (1-based) of every row of the dialog's table. */
const column = (dialog: Locator, col: number) => dialog.locator(`[data-testid="drilldown-table"] tbody tr td:nth-child(${col})`).allTextContents();

test('PRs merged of a week: one row per PR the weekly API counts, sortable, kept in the URL, Escape closes', async ({ page }) => {
  await signInToDemo(page);
  const week = await lastFullWeek(page);
  expect(week.prsMerged).toBeGreaterThan(2);

  // Reached from the team page: the throughput chart's data table, "PRs merged per engineer" cell of the week.
  await page.goto(`/demo/teams/${TEAM}`);
  const throughput = page.getByTestId('chart-throughput');
  await throughput.getByRole('button', { name: 'Show data table' }).click();
  const weekLabel = new Date(`${week.weekStart}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const cell = throughput.getByRole('button', { name: new RegExp(`PRs merged per engineer, week of ${weekLabel},`) });
  await cell.click();

  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { level: 2 })).toContainText('PRs merged');
  expect(new URL(page.url()).searchParams.get('drill')).toBe('prsMerged');
  expect(new URL(page.url()).searchParams.get('dweek')).toBe(week.weekStart);
  expect(new URL(page.url()).searchParams.get('dteam')).toBe(TEAM);

  // As many rows as the weekly API's prsMerged, and the dialog says the figure is remade from them.
  await expect(dialog.locator('[data-testid="drilldown-table"] tbody tr')).toHaveCount(week.prsMerged);
  await expect(dialog.getByTestId('drilldown-aggregate')).toHaveText(`count of ${week.prsMerged} pull requests`);
  await expect(dialog.getByTestId('drilldown-published')).toHaveText(String(week.prsMerged));
  await expect(dialog.getByTestId('drilldown-recomputed')).toHaveText(`${week.prsMerged} matches`);
  await expect(dialog.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', new RegExp(`metric=prsMerged&week=${week.weekStart}&team=${TEAM}.*format=csv`));
  // A PR title links out to the pull request.
  await expect(dialog.locator('tbody tr td:first-child a').first()).toHaveAttribute('href', /^https:\/\/github\.com\/.+\/pull\/\d+$/);
  await screenshot(page, 'drilldown-prs-merged');
  await expectAccessible(page);

  // Sort by cycle time: longest first, then shortest first — the API's order for the same sort.
  const cycle = dialog.getByRole('columnheader', { name: 'Cycle' });
  await cycle.getByRole('button').click();
  await expect(cycle).toHaveAttribute('aria-sort', 'descending');
  const desc = await drilldownApi(page, `metric=prsMerged&week=${week.weekStart}&team=${TEAM}&sort=cycleHours&order=desc`);
  await expect.poll(() => column(dialog, 1)).toEqual(desc.rows.map((r) => expect.stringContaining(`${r.repository}#${r.number}`)));
  const hours = desc.rows.map((r) => r.cycleHours as number | null).filter((h): h is number => h !== null);
  expect(hours).toEqual([...hours].sort((a, b) => b - a));

  await cycle.getByRole('button').click();
  await expect(cycle).toHaveAttribute('aria-sort', 'ascending');
  const asc = await drilldownApi(page, `metric=prsMerged&week=${week.weekStart}&team=${TEAM}&sort=cycleHours&order=asc`);
  await expect.poll(() => column(dialog, 1)).toEqual(asc.rows.map((r) => expect.stringContaining(`${r.repository}#${r.number}`)));
  await expect(page).toHaveURL(/dsort=cycleHours&dorder=asc/);
  await screenshot(page, 'drilldown-prs-merged-sorted');

  // Escape closes it, the URL forgets it, and focus is back on the cell that opened it.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page).not.toHaveURL(/drill=/);
  await expect(cell).toBeFocused();

  // The link reproduces the view: reopen, reload, same rows in the same order.
  await cell.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('[data-testid="drilldown-table"] tbody tr')).toHaveCount(week.prsMerged);
  await cycle.getByRole('button').click();
  await expect(cycle).toHaveAttribute('aria-sort', 'descending');
  await page.reload();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Cycle' })).toHaveAttribute('aria-sort', 'descending');
  await expect(dialog.locator('[data-testid="drilldown-table"] tbody tr')).toHaveCount(week.prsMerged);
  await expect.poll(() => column(dialog, 1)).toEqual(desc.rows.map((r) => expect.stringContaining(`${r.repository}#${r.number}`)));
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page).not.toHaveURL(/drill=/);

  // A click inside the dialog, even on its own edge, keeps it; a click on the backdrop closes it.
  await page.goto(drillUrl('prsMerged', week.weekStart, 'PRs merged'));
  await expect(dialog.locator('[data-testid="drilldown-table"] tbody tr')).toHaveCount(week.prsMerged);
  const box = (await dialog.boundingBox())!;
  await page.mouse.click(box.x + 1, box.y + box.height / 2);
  await expect(dialog).toBeVisible();
  await page.mouse.click(Math.max(1, box.x / 2), box.y + box.height / 2);
  await expect(dialog).toBeHidden();
  await expect(page).not.toHaveURL(/drill=/);
});

test('every kind of row: tickets with their last PR, commits with AI evidence, AI usage; each remakes the dashboard figure', async ({ page }) => {
  await signInToDemo(page);
  const week = await lastFullWeek(page);
  const dialog = page.getByRole('dialog');

  // Tickets: ticket-to-merge p50 of the week, keys linking to the tracker, the last PR linking out.
  await page.goto(drillUrl('ticketToMergeP50Hours', week.weekStart, 'Ticket-to-merge time, p50'));
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('drilldown-recomputed')).toContainText('matches');
  await expect(dialog.getByTestId('drilldown-aggregate')).toHaveText(/^p50 \(median\) of cycle time over \d+ tickets?$/);
  await expect(dialog.getByRole('columnheader', { name: 'Cycle' })).toHaveAttribute('aria-sort', 'descending');
  await expect(dialog.locator('tbody tr td:first-child a').first()).toHaveAttribute('href', /^https?:\/\//);
  await expect(dialog.locator('tbody tr').first().getByRole('link', { name: /#\d+$/ })).toHaveAttribute('href', /\/pull\/\d+$/);
  await screenshot(page, 'drilldown-tickets');
  await expectAccessible(page);

  // Commits: AI lines added, with the signal that made each commit AI.
  await page.goto(drillUrl('aiLinesAdded', week.weekStart, 'AI-attributed lines added'));
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('drilldown-recomputed')).toContainText('matches');
  const commits = await drilldownApi(page, `metric=aiLinesAdded&week=${week.weekStart}&team=${TEAM}`);
  await expect(dialog.locator('[data-testid="drilldown-table"] tbody tr')).toHaveCount(commits.rows.length);
  const signal = (commits.rows.find((r) => (r.aiEvidence as unknown[]).length > 0)?.aiEvidence as { tool: string; strength: string; evidence: string }[])[0]!;
  await expect(dialog.getByText(`${signal.tool} · ${signal.strength}`).first()).toBeVisible();
  await expect(dialog.getByText(signal.evidence, { exact: true }).first()).toBeVisible();
  await screenshot(page, 'drilldown-commits');
  await expectAccessible(page);

  // AI usage: tokens per person, day, tool and model.
  await page.goto(drillUrl('tokens', week.weekStart, 'AI tool tokens'));
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('drilldown-recomputed')).toContainText('matches');
  await expect(dialog.getByRole('columnheader', { name: 'Tokens' })).toHaveAttribute('aria-sort', 'descending');
  await screenshot(page, 'drilldown-ai-usage');
  await expectAccessible(page);
});

test('loading, error with Retry, and a week with no rows', async ({ page }) => {
  await signInToDemo(page);
  const week = await lastFullWeek(page);
  const dialog = page.getByRole('dialog');

  // Loading: the table's skeleton while the rows are on their way.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/metrics/drilldown?**', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(drillUrl('prsMerged', week.weekStart, 'PRs merged'));
  await expect(dialog.getByTestId('drilldown-skeleton')).toBeVisible();
  // The page's own load screenshot (fixtures.ts) can hold the first one up on a busy machine: once more if so.
  await screenshot(page, 'drilldown-loading');
  if (!existsSync('e2e/screenshots/drilldown-loading.png')) await screenshot(page, 'drilldown-loading');
  await expect(dialog.getByTestId('drilldown-skeleton')).toBeVisible();
  await expectAccessible(page);
  release();
  await expect(dialog.locator('[data-testid="drilldown-table"] tbody tr')).toHaveCount(week.prsMerged);
  await page.unroute('**/metrics/drilldown?**');

  // Error: what failed, and Retry loads the rows once the API answers again.
  let failing = true;
  await page.route('**/metrics/drilldown?**', (route) =>
    failing ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'The database is not reachable.' } }) }) : route.continue(),
  );
  await page.goto(drillUrl('prsMerged', week.weekStart, 'PRs merged'));
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('Could not load the rows behind this figure.');
  await expect(alert).toContainText('The database is not reachable.');
  await screenshot(page, 'drilldown-error');
  await expectAccessible(page);
  failing = false;
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(dialog.locator('[data-testid="drilldown-table"] tbody tr')).toHaveCount(week.prsMerged);
  await page.unroute('**/metrics/drilldown?**');

  // Empty: a week long before the demo's data.
  await page.goto(drillUrl('prsMerged', '2020-01-06', 'PRs merged'));
  await expect(dialog.getByTestId('drilldown-empty')).toContainText('No rows behind this figure this week.');
  await expect(dialog.getByTestId('drilldown-empty').getByRole('link', { name: 'Settings → Sources' })).toHaveAttribute('href', '/demo/settings/sources');
  await expect(dialog.getByTestId('drilldown-published')).toHaveText('0');
  await expect(dialog.getByTestId('drilldown-recomputed')).toHaveText('0 matches');
  await screenshot(page, 'drilldown-empty');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});
