import type { Page } from '@playwright/test';
import { formatGrowth, groupFlags, KEY_METRICS, weekOverWeek } from '../../components/overview/overview-data.ts';
import { shortWeek } from '../../components/charts/format.ts';
import type { WeeklyMetrics } from '../../lib/metrics/schemas.ts';
import { expectAccessible } from '../axe.ts';
import { expect as baseExpect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';
import { createOrg, signInAs, sql } from './fresh-org.ts';

const DEMO_TEAMS = ['growth', 'mobile', 'payments', 'platform'];
const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

async function signInToDemo(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/);
  // The first visit after the server starts waits for the rollups.
  await expect(page.getByTestId('overview-table')).toBeVisible({ timeout: 60_000 });
}

test.describe.configure({ timeout: 300_000 });
// A shared, busy machine: the server's answers can take seconds.
const expect = baseExpect.configure({ timeout: 20_000 });

/** The last full week as the API's own calendar has it: the week before the one holding today's date in the org. */
async function expectedRange(page: Page) {
  const current = (await (await page.request.get('/api/orgs/demo/metrics/weekly')).json()) as WeeklyMetrics;
  const lastWeek = new Date(`${current.weeks.at(-1)!.weekStart}T00:00:00Z`).getTime() - 7 * DAY_MS;
  return { lastWeek: isoDay(new Date(lastWeek)), from: isoDay(new Date(lastWeek - 11 * 7 * DAY_MS)), to: isoDay(new Date(lastWeek + 6 * DAY_MS)) };
}

async function weekly(page: Page, query: Record<string, string>): Promise<WeeklyMetrics> {
  const res = await page.request.get(`/api/orgs/demo/metrics/weekly?${new URLSearchParams(query)}`);
  expect(res.status()).toBe(200);
  return res.json();
}

test('the overview has a row per demo team with the weekly API figures of the last full week, 12-week sparklines, flags and leverage', async ({ page }) => {
  await signInToDemo(page);
  await expect(page.getByRole('heading', { name: 'Acme Robotics (demo)', level: 1 })).toBeVisible();
  await expect(page.getByText('This is a demo organization with generated data.')).toBeVisible();
  const table = page.getByTestId('overview-table');
  await expect(table).toBeVisible();

  const range = await expectedRange(page);
  await expect(page.getByTestId('overview-week')).toHaveAttribute('datetime', range.lastWeek);
  const orgApi = await weekly(page, { from: range.from, to: range.to });
  expect(orgApi.weeks).toHaveLength(12);
  expect(orgApi.weeks.at(-1)!.weekStart).toBe(range.lastWeek);

  // One row per team, in the body; the whole org in the footer.
  const rows = table.locator('tbody [data-testid=overview-row]');
  await expect(rows).toHaveCount(DEMO_TEAMS.length);
  expect((await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-scope')))).sort()).toEqual(DEMO_TEAMS);

  const scopes = [...DEMO_TEAMS.map((t) => ({ slug: t, row: table.locator(`tbody tr[data-scope="${t}"]`) })), { slug: null, row: table.locator('tfoot tr') }];
  const apis = new Map<string | null, WeeklyMetrics>([[null, orgApi]]);
  for (const { slug, row } of scopes) {
    const api = slug ? await weekly(page, { team: slug, from: range.from, to: range.to }) : orgApi;
    apis.set(slug, api);
    const [previous, last] = [api.weeks.at(-2)!, api.weeks.at(-1)!];
    for (const m of KEY_METRICS) {
      const cell = row.locator(`td[data-metric="${m.key}"]`);
      const value = cell.getByTestId('value');
      await expect(value).toHaveAttribute('data-value', String(last[m.key] ?? ''));
      await expect(value).toHaveText(m.format(last[m.key]));
      const delta = weekOverWeek(m, previous[m.key], last[m.key]);
      await expect(cell.getByTestId('delta')).toHaveAttribute('data-direction', delta.direction ?? '');
      await expect(cell.getByTestId('delta')).toContainText(delta.text);
      // The sparkline: 12 weeks, its line through every week with a figure, its text the first and last values.
      const spark = cell.getByTestId('sparkline');
      await expect(spark).toHaveAttribute('data-points', '12');
      await expect(spark).toHaveAttribute('aria-label', new RegExp(`${m.format(api.weeks[0]![m.key]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in the week of ${shortWeek(api.weeks[0]!.weekStart)}, .*${m.format(last[m.key]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in the week of ${shortWeek(last.weekStart)}$`));
      const known = api.weeks.filter((w) => w[m.key] !== null).length;
      const d = known ? await spark.locator('path.recharts-line-curve').getAttribute('d') : null;
      expect((d ?? '').match(/[ML]/g)?.length ?? 0).toBe(known);
    }
    if (slug) await expect(row.getByRole('link', { name: new RegExp(slug, 'i') })).toHaveAttribute('href', `/demo/teams/${slug}`);
  }

  // Leverage: the org's figure and its one-sentence reading.
  const leverage = orgApi.leverage;
  await expect(page.getByTestId('leverage-value')).toHaveAttribute('data-value', String(leverage.leverage ?? ''));
  const sentence = page.getByTestId('leverage-sentence');
  await expect(sentence).toContainText(`${leverage.throughputGrowth! >= 1 ? 'grew' : 'fell to'} ${formatGrowth(leverage.throughputGrowth)} while AI generation`);
  await expect(sentence).toContainText(`AI generation (AI-attributed lines) ${leverage.generationGrowth! >= 1 ? 'grew' : 'fell to'} ${formatGrowth(leverage.generationGrowth)}`);

  // Distortion warnings: one per flagged scope, at its latest flagged week, linked to the team.
  const groups = groupFlags(orgApi.flags, range.lastWeek, DEMO_TEAMS);
  const flags = page.getByTestId('flag');
  await expect(flags).toHaveCount(groups.length);
  expect(await flags.evaluateAll((els) => els.map((e) => [e.getAttribute('data-team'), e.getAttribute('data-week')]))).toEqual(groups.map((g) => [g.team ?? '', g.latest.weekStart]));
  for (const g of groups) {
    const item = page.locator(`[data-testid=flag][data-team="${g.team ?? ''}"]`);
    await expect(item.getByTestId('flag-growth')).toHaveText(formatGrowth(g.latest.generationGrowth));
    if (g.team) await expect(item.getByRole('link', { name: new RegExp(g.team, 'i') })).toHaveAttribute('href', `/demo/teams/${g.team}`);
  }
  if (groups.length === 0) await expect(page.getByTestId('no-warnings')).toBeVisible();
  test.info().annotations.push({ type: 'flags', description: `${orgApi.flags.length} flags in ${groups.length} scopes` });

  await expectAccessible(page);
  await screenshot(page, 'overview-data');

  // The data table: every week of every scope, the API's figures; its state is in the URL.
  await page.getByRole('button', { name: 'Show data table' }).click();
  await expect(page).toHaveURL(/[?&]table=true/);
  const data = page.getByTestId('overview-data');
  await expect(data.locator('table')).toHaveCount(KEY_METRICS.length);
  const cells = await data.locator('table').evaluateAll((tables) =>
    tables.map((t) => ({
      metric: t.getAttribute('data-metric'),
      weeks: [...t.querySelectorAll('thead time')].map((e) => e.getAttribute('datetime')),
      rows: [...t.querySelectorAll('tbody tr')].map((r) => ({ scope: r.getAttribute('data-scope'), values: [...r.querySelectorAll('td')].map((c) => c.getAttribute('data-value')) })),
    })),
  );
  for (const t of cells) {
    expect(t.weeks).toEqual(orgApi.weeks.map((w) => w.weekStart));
    expect(t.rows).toHaveLength(DEMO_TEAMS.length + 1);
    for (const r of t.rows) {
      const api = apis.get(r.scope === '' ? null : r.scope)!;
      expect(r.values).toEqual(api.weeks.map((w) => String(w[t.metric as (typeof KEY_METRICS)[number]['key']] ?? '')));
    }
  }
  await expectAccessible(page);
  await screenshot(page, 'overview-data-table');

  // A team's row leads to its page.
  await table.locator('tbody tr[data-scope="platform"]').getByRole('link', { name: 'Platform' }).click();
  await expect(page).toHaveURL(/\/demo\/teams\/platform$/);
});

test('while the overview loads it shows a skeleton of the final layout', async ({ page }) => {
  await signInToDemo(page);
  await page.goto('/demo/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  // Hydrated, so the click is a client-side navigation (which shows the loading state), not a document load.
  await page.waitForLoadState('networkidle');
  // Hold the navigation's server answer (not its prefetch) so the loading state stays up.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/demo',
    async (route) => {
      const headers = route.request().headers();
      if (!headers['rsc'] || headers['next-router-prefetch']) return route.continue();
      await held;
      await route.continue();
    },
  );
  await page.getByRole('banner').getByRole('link', { name: 'Acme Robotics (demo)' }).click();
  const loading = page.getByTestId('overview-loading');
  await expect(loading).toBeVisible();
  await expect(loading).toHaveAttribute('aria-busy', 'true');
  await expectAccessible(page);
  await screenshot(page, 'overview-loading');
  release();
  await expect(page.getByTestId('overview-table')).toBeVisible({ timeout: 90_000 });
  await expect(loading).toHaveCount(0);
});

test('a new org with no data is told what to connect next, with its own webhook URL and import command', async ({ page, context, baseURL }) => {
  const slug = `empty-${Date.now().toString(36)}`;
  createOrg(slug, 'Empty Co');
  await signInAs(context, baseURL!, slug, 'admin');
  await page.goto(`/${slug}`);
  await expect(page.getByRole('heading', { name: 'Empty Co', level: 1 })).toBeVisible();
  const empty = page.getByTestId('overview-empty');
  await expect(empty.getByRole('heading', { name: 'No data yet: connect a source' })).toBeVisible();
  // The same URLs as the data sources settings give.
  const sources = (await (await page.request.get(`/api/orgs/${slug}/settings/sources`)).json()) as { sources: { id: string; url: string | null }[] };
  for (const id of ['github', 'gitlab']) {
    const url = sources.sources.find((s) => s.id === id)!.url!;
    expect(url).toMatch(new RegExp(`/api/orgs/${slug}/webhooks/${id}$`));
    await expect(empty.getByTestId(`webhook-url-${id}`)).toHaveText(url);
  }
  await expect(empty.getByTestId('import-command')).toHaveText(`npx throughline import git ./repo --org ${slug} --repo owner/name`);
  await expect(empty.getByRole('link', { name: 'Data sources → GitHub' })).toHaveAttribute('href', `/${slug}/settings/sources/github`);
  await expect(empty.getByRole('link', { name: 'Settings → Teams' })).toHaveAttribute('href', `/${slug}/settings/teams`);
  await expect(page.getByTestId('overview-table')).toHaveCount(0);
  await expect(page.locator('.banner')).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, 'overview-empty');
});

test('when the figures cannot be read the overview says so and Retry recovers', async ({ page, context, baseURL }) => {
  const slug = `broken-${Date.now().toString(36)}`;
  createOrg(slug, 'Broken Co');
  await signInAs(context, baseURL!, slug, 'member');
  // A time zone no calendar knows: reading its weeks fails on the server.
  await sql(`UPDATE "Organization" SET "timeZone" = 'Nowhere/Atlantis' WHERE slug = $1`, [slug]);
  await page.goto(`/${slug}`);
  const error = page.getByTestId('overview-error');
  await expect(error.getByRole('heading', { name: 'The overview could not be loaded' })).toBeVisible();
  await expect(error.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'overview-error');

  await sql(`UPDATE "Organization" SET "timeZone" = 'UTC' WHERE slug = $1`, [slug]);
  await error.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('overview-empty')).toBeVisible();
  await expect(page.getByTestId('overview-error')).toHaveCount(0);
  // A member is told who can open the secrets.
  await expect(page.getByText('an admin of this organization can open')).toBeVisible();
});
