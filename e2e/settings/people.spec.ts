import { expect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';

test('an admin merges two people and adds an AI attribution rule, both in the audit log', async ({ page }) => {
  // Opting in to weak signals rebuilds the rollups: on the embedded database pages wait meanwhile.
  test.slow();
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Robotics (demo)', level: 1 })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Manage people and rules' }).click();
  await expect(page).toHaveURL(/\/demo\/settings\/people$/);
  await expect(page.getByRole('heading', { name: 'People and AI attribution', level: 1 })).toBeVisible();
  await expect(page.getByText('left out of every metric')).toBeVisible();

  // Merge Ben Carter into Priya Raman: pick the person, pick the one to keep, confirm.
  const people = page.getByRole('region', { name: 'People' });
  await page.getByLabel('Search people').fill('ben carter');
  await expect(page.getByTestId('people-count')).toHaveText('1 person');
  await page.getByRole('button', { name: 'Merge Ben Carter into…' }).click();
  await page.getByLabel('Search the person to keep').fill('priya');
  await page.getByRole('button', { name: 'Keep Priya Raman' }).click();
  await expect(page.getByText('Merge Ben Carter into Priya Raman?')).toBeVisible();
  await screenshot(page, 'settings-people-merge');
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  // A merge moves the person's rows and marks their weeks dirty: on the embedded database (one
  // connection) the list's refetch can wait behind that for a while.
  await expect(page.getByText('Merged Ben Carter into Priya Raman.')).toBeVisible({ timeout: 30_000 });
  await expect(people.getByText('No one matches.')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Search people').fill('priya');
  const priya = people.getByRole('row').filter({ hasText: 'Priya Raman' });
  await expect(priya).toContainText('ben.carter@acme-robotics.dev', { timeout: 30_000 });

  // A rule with a broken pattern is refused with the reason; a good one is listed.
  const rules = page.getByRole('region', { name: 'AI attribution rules' });
  await page.getByLabel('Pattern').fill('(^AI-Agent:');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(rules.getByRole('alert')).toContainText('pattern: is not a valid regular expression');
  await page.getByLabel('Pattern').fill('^AI-Agent:\\s*\\w+');
  await page.getByLabel('AI tool').selectOption({ label: 'Claude Code' });
  await page.getByRole('button', { name: 'Add rule' }).click();
  const row = rules.getByRole('row').filter({ hasText: '^AI-Agent:\\s*\\w+' });
  await expect(row).toContainText('Commit trailer');
  await expect(row).toContainText('Claude Code');
  await expect(rules.getByRole('alert')).toHaveCount(0);
  // Weak evidence is off by default; opting in survives a reload.
  const weak = rules.getByRole('checkbox', { name: /Count free-text mentions/ });
  await expect(weak).not.toBeChecked();
  await weak.check();
  await expect(weak).toBeEnabled(); // saved
  await page.reload();
  await expect(page.getByRole('region', { name: 'AI attribution rules' }).getByRole('checkbox', { name: /Count free-text mentions/ })).toBeChecked();
  await page.getByLabel('Search people').fill('');
  await expect(page.getByTestId('people-count')).toHaveText(/^42 people$/, { timeout: 30_000 });
  await screenshot(page, 'settings-people');

  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'General' }).click();
  await expect(page.getByRole('cell', { name: 'person.merge' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('cell', { name: 'attribution_rule.create' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('cell', { name: 'attribution.weak_signals_set' })).toBeVisible({ timeout: 60_000 });
});
