import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import { expect as baseExpect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';
import type { WeekMetrics, WeeklyMetrics } from '../../lib/metrics/schemas.ts';
import { formatCell } from '../../components/team/series.ts';

// The team page: the headline chart (generation volume against ticket-to-merge time), the charts
// below it, range and generation measure in the URL, data tables, CSV/PNG exports, annotations,
// drill-down, and the loading, empty and error states.

// Each page load fetches the weekly figures; on a busy machine that takes seconds, so assertions wait longer.
const expect = baseExpect.configure({ timeout: 15_000 });

async function signInToDemo(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/);
}

/** Opens a team page and returns the weekly API's answer for the very request the page made, fetched again through the API. */
async function openTeamPage(page: Page, path: string): Promise<{ url: string; api: WeeklyMetrics }> {
  const request = page.waitForRequest((r) => r.url().includes('/metrics/weekly?'));
  await page.goto(path);
  const url = (await request).url();
  const res = await page.request.get(url);
  expect(res.status()).toBe(200);
  await chartDrawn(page);
  return { url, api: (await res.json()) as WeeklyMetrics };
}

const headline = (page: Page) => page.getByTestId('chart-headline');
/** The bars of one series: recharts draws one rectangle group per week (zero-height ones included). */
/** The chart's drawing (recharts also draws each legend icon as a small svg of the same class). */
const surfaceOf = (chart: Locator) => chart.locator('.recharts-wrapper > svg.recharts-surface');
const barsOf = (chart: Locator, series = 0) => chart.locator('.recharts-bar').nth(series).locator('.recharts-bar-rectangle');

/** Waits for the headline chart to be drawn (the machine running the suite may be busy). */
async function chartDrawn(page: Page) {
  await expect(headline(page).locator('.recharts-bar').first()).toBeVisible({ timeout: 30_000 });
}

async function tableOf(card: Locator): Promise<Locator> {
  await card.getByRole('button', { name: 'Show data table' }).click();
  const table = card.getByRole('table');
  await expect(table).toBeVisible();
  return table;
}

/** Every body cell of a data table: week → column key → { value (raw, from data-value), text }. */
async function readTable(table: Locator) {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      week: tr.querySelector('th')!.getAttribute('data-value')!,
      cells: Object.fromEntries([...tr.querySelectorAll('td[data-key]')].map((td) => [td.getAttribute('data-key')!, { value: td.getAttribute('data-value')!, text: td.textContent!.trim() }])),
    })),
  );
}

const raw = (v: number | null) => (v === null ? '' : String(v));

function parseCsv(text: string): string[][] {
  return text.trim().split(/\r\n/).map((line) => line.split(','));
}

test('the headline chart draws one bar per week of the range, with the values the weekly API gives', async ({ page }) => {
  // The first test meets a server just started (its first rollups still being written): more time.
  test.slow();
  await signInToDemo(page);
  const { url, api } = await openTeamPage(page, '/demo/teams/platform');
  const params = new URL(url).searchParams;
  expect(params.get('team')).toBe('platform');
  // 26 weeks by default.
  expect(api.weeks).toHaveLength(26);
  const chart = headline(page);
  await expect(barsOf(chart, 0)).toHaveCount(26, { timeout: 30_000 });
  await expect(barsOf(chart, 1)).toHaveCount(26);
  await expect(chart.locator('.recharts-line')).toHaveCount(2);
  await expect(chart.locator('.recharts-line-curve').nth(1)).toHaveAttribute('stroke-dasharray', /6 4/);
  await expect(chart.getByText('AI-attributed lines').first()).toBeVisible();
  await expect(page.getByText(`${26} weeks`)).toBeVisible();

  const rows = await readTable(await tableOf(chart));
  expect(rows.map((r) => r.week)).toEqual(api.weeks.map((w) => w.weekStart));
  for (const [i, w] of api.weeks.entries()) {
    const c = rows[i]!.cells;
    expect(c.aiLinesAdded).toEqual({ value: raw(w.aiLinesAdded), text: formatCell('count', w.aiLinesAdded) });
    expect(c.otherLines).toEqual({ value: raw(w.linesAdded - w.aiLinesAdded), text: formatCell('count', w.linesAdded - w.aiLinesAdded) });
    expect(c.ticketToMergeP50Hours).toEqual({ value: raw(w.ticketToMergeP50Hours), text: formatCell('hours', w.ticketToMergeP50Hours) });
    expect(c.ticketToMergeP85Hours).toEqual({ value: raw(w.ticketToMergeP85Hours), text: formatCell('hours', w.ticketToMergeP85Hours) });
  }
  // The stat above the charts is the API's sum.
  const prs = api.weeks.reduce((n, w) => n + w.prsMerged, 0);
  await expect(page.getByTestId('stat-prs')).toHaveText(prs.toLocaleString('en-US'));

  // The charts below: each in its card, with its data table matching the API too.
  const checks: [string, (keyof WeekMetrics)[], Parameters<typeof formatCell>[0]][] = [
    ['first-run-ci', ['firstRunPassRateAi', 'firstRunPassRateHuman'], 'share'],
    ['review-time', ['timeToFirstReviewP50HoursAi', 'timeToFirstReviewP50HoursHuman', 'reviewTimeP50HoursAi', 'reviewTimeP50HoursHuman'], 'hours'],
    ['cycle-phases', ['ticketCycleWaitingP50Hours', 'ticketCycleCodingP50Hours', 'ticketCyclePickupP50Hours', 'ticketCycleReviewP50Hours', 'ticketCycleMergeP50Hours'], 'hours'],
    ['throughput', ['prsMergedPerEngineer', 'ticketsDonePerEngineer'], 'ratio'],
  ];
  for (const [id, keys, kind] of checks) {
    const card = page.getByTestId(`chart-${id}`);
    await expect(surfaceOf(card)).toBeVisible();
    const table = await readTable(await tableOf(card));
    expect(table).toHaveLength(26);
    for (const [i, w] of api.weeks.entries()) {
      for (const k of keys) expect(table[i]!.cells[k], `${id} ${w.weekStart} ${k}`).toEqual({ value: raw(w[k] as number | null), text: formatCell(kind, w[k] as number | null) });
    }
  }
  await expect(barsOf(page.getByTestId('chart-cycle-phases'), 0)).toHaveCount(26);
  await screenshot(page, 'team-platform-data');
  await expectAccessible(page);
});

test('the generation measure and the range live in the URL and survive a reload', async ({ page }) => {
  await signInToDemo(page);
  await page.goto('/demo/teams/payments');
  await chartDrawn(page);
  const chart = headline(page);
  await expect(barsOf(chart)).toHaveCount(26);

  await chart.getByRole('button', { name: 'Tokens' }).click();
  await expect(page).toHaveURL(/gen=tokens/);
  await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '12w' }).click();
  await expect(page).toHaveURL(/weeks=12/);
  await expect(barsOf(chart)).toHaveCount(12);

  await page.reload();
  await chartDrawn(page);
  await expect(chart.getByRole('button', { name: 'Tokens' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '12w' })).toHaveAttribute('aria-pressed', 'true');
  await expect(barsOf(chart)).toHaveCount(12);
  await expect(chart.locator('.recharts-bar')).toHaveCount(1);
  const table = await tableOf(chart);
  await expect(table.locator('thead th')).toHaveText(['Week', 'AI tool tokens', 'Ticket-to-merge p50 (h)', 'Ticket-to-merge p85 (h)', ...((await table.locator('thead th').count()) === 5 ? ['Annotations'] : [])]);
  await screenshot(page, 'team-payments-tokens-12w');

  // A custom range: from a Wednesday to a Tuesday five weeks on covers six ISO weeks.
  await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: 'Custom' }).click();
  await page.getByLabel('From', { exact: true }).fill('2026-09-02');
  await page.getByLabel('To', { exact: true }).fill('2026-10-06');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/from=2026-09-02/);
  await expect(page).toHaveURL(/to=2026-10-06/);
  await page.reload();
  await expect(page.getByRole('group', { name: 'Range' }).getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('Aug 31, 2026 – Oct 11, 2026 · 6 weeks')).toBeVisible();
  await expect(barsOf(chart)).toHaveCount(6);
  await expect(chart.getByRole('button', { name: 'Tokens' })).toHaveAttribute('aria-pressed', 'true');

  await chart.getByRole('button', { name: 'AI PR share' }).click();
  await expect(page).toHaveURL(/gen=ai-share/);
  await page.goBack();
  await expect(page).toHaveURL(/weeks=12/);
  await expect(barsOf(chart)).toHaveCount(12);
});

test('Download CSV gives exactly the plotted values of the weekly API, and Download PNG a picture of the card', async ({ page }) => {
  await signInToDemo(page);
  const { api } = await openTeamPage(page, '/demo/teams/mobile?weeks=12');
  const chart = headline(page);
  await expect(barsOf(chart)).toHaveCount(12);

  const [csv] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(csv.suggestedFilename()).toBe(`demo-mobile-headline-lines-${api.from}-${api.to}.csv`);
  const lines = parseCsv(readFileSync((await csv.path())!, 'utf8'));
  expect(lines[0]!.slice(0, 5)).toEqual(['Week', 'AI-attributed lines', 'Other lines', 'Ticket-to-merge p50 (h)', 'Ticket-to-merge p85 (h)']);
  expect(lines.slice(1).map((l) => l.slice(0, 5))).toEqual(
    api.weeks.map((w) => [w.weekStart, raw(w.aiLinesAdded), raw(w.linesAdded - w.aiLinesAdded), raw(w.ticketToMergeP50Hours), raw(w.ticketToMergeP85Hours)]),
  );

  const ci = page.getByTestId('chart-first-run-ci');
  const [ciCsv] = await Promise.all([page.waitForEvent('download'), ci.getByRole('button', { name: 'Download CSV' }).click()]);
  const ciLines = parseCsv(readFileSync((await ciCsv.path())!, 'utf8'));
  expect(ciLines.slice(1).map((l) => l.slice(0, 3))).toEqual(api.weeks.map((w) => [w.weekStart, raw(w.firstRunPassRateAi), raw(w.firstRunPassRateHuman)]));

  const [png] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: 'Download PNG' }).click()]);
  expect(png.suggestedFilename()).toBe(`demo-mobile-headline-lines-${api.from}-${api.to}.png`);
  const bytes = readFileSync((await png.path())!);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(bytes.length).toBeGreaterThan(20_000);
});

test('an annotation created through the API appears on every chart at its week', async ({ page }) => {
  // Each annotation write marks rollup weeks; on the embedded database pages and API calls wait meanwhile.
  test.slow();
  await signInToDemo(page);
  const { api } = await openTeamPage(page, '/demo/teams/platform?weeks=12');
  // A Thursday in the 4th week of the range: its line sits at that week.
  const week = api.weeks[3]!.weekStart;
  const date = new Date(Date.parse(`${week}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
  const label = `E2E pairing rotation ${Date.now() % 10000}`;
  const created = await page.request.post('/api/orgs/demo/annotations', { data: { teamSlug: 'platform', date, label } });
  expect(created.status()).toBe(201);
  const { annotation } = (await created.json()) as { annotation: { id: string } };
  try {
    await page.reload();
    await chartDrawn(page);
    const chart = headline(page);
    await expect(chart.locator('.recharts-reference-line').getByText(label)).toBeVisible();
    for (const id of ['first-run-ci', 'review-time', 'cycle-phases', 'throughput']) {
      await expect(page.getByTestId(`chart-${id}`).locator('.recharts-reference-line').getByText(label.slice(0, 20))).toBeVisible();
    }
    // The line stands at the annotation's week: the same x as that week's bar.
    const lineX = await chart.locator('.recharts-reference-line', { hasText: label }).locator('line').getAttribute('x1');
    const bar = barsOf(chart, 1).nth(3).locator('path');
    const box = await bar.boundingBox();
    const svg = await surfaceOf(chart).boundingBox();
    expect(Math.abs(Number(lineX) - (box!.x - svg!.x + box!.width / 2))).toBeLessThan(2);
    await expect(chart.getByRole('listitem').filter({ hasText: label })).toContainText('this team');
    const table = await tableOf(chart);
    await expect(table.locator('tbody tr').nth(3)).toContainText(label);
    await screenshot(page, 'team-platform-annotation');
  } finally {
    await page.request.delete(`/api/orgs/demo/annotations/${annotation.id}`);
  }
});

test('clicking a bar opens the drill-down of that week and figure, listing its rows', async ({ page }) => {
  await signInToDemo(page);
  const { api } = await openTeamPage(page, '/demo/teams/platform?weeks=12');
  const chart = headline(page);
  await expect(barsOf(chart)).toHaveCount(12);
  // The last week with AI lines: its AI bar.
  const i = api.weeks.findLastIndex((w) => w.aiLinesAdded > 0);
  const week = api.weeks[i]!.weekStart;
  await barsOf(chart, 0).nth(i).locator('path').click();
  await expect(page).toHaveURL(new RegExp(`drill=aiLinesAdded.*dweek=${week}`));
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const drill = await page.request.get(`/api/orgs/demo/metrics/drilldown?metric=aiLinesAdded&team=platform&week=${week}`);
  const { rows } = (await drill.json()) as { rows: { sha: string }[] };
  expect(rows.length).toBeGreaterThan(0);
  await expect(dialog.getByText(rows[0]!.sha.slice(0, 7)).first()).toBeVisible();
  await screenshot(page, 'team-platform-drilldown');

  // A point of the p50 line opens the ticket-to-merge drill-down.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a range with no merged work says what to connect next', async ({ page }) => {
  await signInToDemo(page);
  await page.goto('/demo/teams/platform?from=2020-01-06&to=2020-03-29');
  const chart = headline(page);
  await expect(chart.getByText('No merged work for Platform in Jan 6, 2020 – Mar 29, 2020.')).toBeVisible();
  await expect(chart.getByRole('link', { name: 'Connect data sources' })).toHaveAttribute('href', '/demo/settings/sources');
  await expect(page.getByTestId('chart-review-time')).toHaveCount(0);
  await expect(chart.getByRole('button', { name: 'Download CSV' })).toBeDisabled();
  await screenshot(page, 'team-platform-empty');
  await expectAccessible(page);
});

test('while the weekly API is slow the charts hold their final size, and an error offers Retry', async ({ page }) => {
  await signInToDemo(page);
  let mode: 'slow' | 'fail' | 'pass' = 'slow';
  // Slow: the weekly answer is held until the loading state has been looked at.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/orgs/demo/metrics/weekly?**', async (route) => {
    if (mode === 'fail') return route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'Internal error' } }) });
    if (mode === 'slow') await held;
    return route.continue();
  });
  await page.goto('/demo/teams/platform');
  const plot = page.getByTestId('chart-headline-plot');
  await expect(plot.getByTestId('chart-loading')).toBeVisible();
  const loadingBox = await plot.boundingBox();
  await expect(page.getByTestId('chart-review-time').getByTestId('chart-loading')).toBeVisible();
  await screenshot(page, 'team-platform-loading');
  await expectAccessible(page);
  release();
  await expect(surfaceOf(plot)).toBeVisible({ timeout: 15_000 });
  const loadedBox = await plot.boundingBox();
  expect(loadedBox!.height).toBe(loadingBox!.height);
  expect(loadedBox!.y).toBe(loadingBox!.y);

  mode = 'fail';
  await page.goto('/demo/teams/platform?weeks=4');
  const alert = headline(page).getByRole('alert');
  await expect(alert).toContainText('Could not load this chart.', { timeout: 15_000 });
  await expect(alert).toContainText('Internal error');
  await screenshot(page, 'team-platform-error');
  await expectAccessible(page);
  mode = 'pass';
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(barsOf(headline(page))).toHaveCount(4);
});
