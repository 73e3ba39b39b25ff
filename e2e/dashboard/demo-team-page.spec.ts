import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';

async function signInToDemo(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/);
}

test('a new user opens the demo org from the start page in one click and sees a team chart', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Is AI generation turning into delivered work?' })).toBeVisible();
  await screenshot(page, 'home');

  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/);
  await expect(page.getByRole('heading', { name: 'Acme Robotics (demo)' })).toBeVisible();
  // One row per demo team in the overview table (the whole org's row is its footer).
  await expect(page.getByTestId('overview-table').locator('tbody [data-testid="overview-row"]')).toHaveCount(4, { timeout: 60_000 });
  await screenshot(page, 'org-overview');

  await page.getByRole('link', { name: /Platform/ }).first().click();
  await expect(page).toHaveURL(/\/demo\/teams\/platform$/);
  await expect(page.getByRole('heading', { name: 'Platform', level: 1 })).toBeVisible();
  const chart = page.getByTestId('chart-headline');
  // 26 weeks by default: two stacked bar series and the cycle-time p50 and p85 lines.
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(26);
  await expect(chart.locator('.recharts-line-curve')).toHaveCount(2);
  await expect(chart.getByText('AI-attributed lines').first()).toBeVisible();
  await screenshot(page, 'team-platform-26w');
});

test('a signed-out visitor of a dashboard is sent to the org sign-in page, and back after one click', async ({ page }) => {
  await page.goto('/demo/teams/mobile');
  await expect(page).toHaveURL(/\/demo\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Acme Robotics (demo)' })).toBeVisible();
  await screenshot(page, 'sign-in-demo');
  await page.getByRole('button', { name: 'Sign in to the demo (one click)' }).click();
  await expect(page).toHaveURL(/\/demo$/);
});

test('sign-out ends the session', async ({ page }) => {
  await signInToDemo(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/demo');
  await expect(page).toHaveURL(/\/demo\/sign-in$/);
});

test('a signed-in user opening an org that is not theirs gets the not-found page', async ({ page }) => {
  await signInToDemo(page);
  const res = await page.goto('/no-such-org');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await screenshot(page, 'not-found');
});
