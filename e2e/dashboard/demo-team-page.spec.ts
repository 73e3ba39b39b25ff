import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';

async function signInToDemo(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/);
}

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
