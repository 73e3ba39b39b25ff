import type { Page } from '@playwright/test';

/** Saves a full-page screenshot to e2e/screenshots/<name>.png, to be looked at after a run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
