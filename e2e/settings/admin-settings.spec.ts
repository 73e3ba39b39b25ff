import { expect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';

test('an admin creates a token and a webhook secret, each shown once, and sees them in the audit log', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Robotics (demo)', level: 1 })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/demo\/settings$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByText('/api/auth/callback/oidc-demo').first()).toBeVisible();

  await page.getByLabel('Token name').fill('GitHub Actions');
  await page.getByRole('button', { name: 'Create token' }).click();
  const newToken = page.getByTestId('new-token');
  await expect(newToken).toContainText(/tl_[A-Za-z0-9_-]{43}/);
  const value = (await newToken.locator('code').textContent())!;
  await expect(page.getByRole('cell', { name: 'GitHub Actions' })).toBeVisible();

  await page.getByTestId('webhook-github').getByRole('button', { name: 'Generate secret' }).click();
  await expect(page.getByTestId('secret-github')).toContainText(/[0-9a-f]{64}/);
  await expect(page.getByRole('cell', { name: 'webhook_secret.rotate' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'token.create' }).first()).toBeVisible();
  await screenshot(page, 'settings');

  // Shown once: after a reload neither value is on the page.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  expect(await page.content()).not.toContain(value);
});
