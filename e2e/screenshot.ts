import { test, type Page } from '@playwright/test';

/**
 * Saves a full-page screenshot to e2e/screenshots/<name>.png, to be looked at after a run. Headless
 * Chromium on a loaded machine now and then never delivers the frame a screenshot waits for; the
 * picture is for people, not an assertion, so a stalled one is reported on the test, not failed.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  try {
    await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true, timeout: 10_000 });
  } catch (error) {
    test.info().annotations.push({ type: 'warning', description: `screenshot ${name} not taken: ${(error as Error).message.split('\n')[0]}` });
  }
}
