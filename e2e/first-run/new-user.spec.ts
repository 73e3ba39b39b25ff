import { expect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';

// A new user's first minutes, as `npm install && npm start` gives them: a server just started on a
// fresh embedded database, the demo org seeded and its rollups still being built in the
// background. The pages must work at once, if more slowly, and say nothing is wrong.

test('a new user opens the demo org from the start page in one click and sees a team chart', async ({ page }) => {
  test.setTimeout(240_000);
  const started = Date.now();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Is AI generation turning into delivered work?' })).toBeVisible();
  await screenshot(page, 'home');

  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/, { timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Acme Robotics (demo)' })).toBeVisible({ timeout: 60_000 });
  // One row per demo team in the overview table (the whole org's row is its footer).
  await expect(page.getByTestId('overview-table').locator('tbody [data-testid="overview-row"]')).toHaveCount(4, { timeout: 120_000 });
  const overviewMs = Date.now() - started;
  await screenshot(page, 'org-overview');

  await page.getByRole('link', { name: /Platform/ }).first().click();
  await expect(page).toHaveURL(/\/demo\/teams\/platform$/, { timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Platform', level: 1 })).toBeVisible({ timeout: 60_000 });
  const chart = page.getByTestId('chart-headline');
  // 26 weeks by default: two stacked bar series and the cycle-time p50 and p85 lines.
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible({ timeout: 120_000 });
  expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(26);
  await expect(chart.locator('.recharts-line-curve')).toHaveCount(2);
  await expect(chart.getByText('AI-attributed lines').first()).toBeVisible();
  await screenshot(page, 'team-platform-26w');
  console.log(`first run: overview with figures ${(overviewMs / 1000).toFixed(1)} s after the server was up, team chart ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
