import { test, type Page } from '@playwright/test';

/**
 * Saves a full-page screenshot to e2e/screenshots/<name>.png, to be looked at after a run. Headless
 * Chromium on a loaded machine now and then never delivers the frame a screenshot waits for; the
 * picture is for people, not an assertion, so a stalled one is tried again and then only reported.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true, timeout: 15_000 });
      return;
    } catch (error) {
      if (attempt === 2) test.info().annotations.push({ type: 'warning', description: `screenshot ${name} not taken: ${(error as Error).message.split('\n')[0]}` });
    }
  }
}
