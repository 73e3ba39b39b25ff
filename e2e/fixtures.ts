import { test as base, expect } from '@playwright/test';

// Every page a test loads is screenshotted (e2e/screenshots/auto/<test>-<n>.png), beside the named
// screenshots tests take at their key moments, so each run leaves a picture of all it visited.
export const test = base.extend<{ screenshotEveryPage: void }>({
  screenshotEveryPage: [
    async ({ page }, use, testInfo) => {
      const slug = testInfo.titlePath.slice(1).join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 80);
      let n = 0;
      const shots: Promise<unknown>[] = [];
      page.on('load', () => {
        // A timeout of its own: Playwright takes a page's screenshots one at a time, so one that
        // never gets its frame would otherwise hold back every later one, the test's own included.
        shots.push(page.screenshot({ path: `e2e/screenshots/auto/${slug}-${String(++n).padStart(2, '0')}.png`, fullPage: true, timeout: 5_000 }).catch(() => {}));
      });
      await use();
      // A screenshot caught in the middle of a navigation can stall: wait a few seconds at most.
      await Promise.race([Promise.allSettled(shots), new Promise((resolve) => setTimeout(resolve, 5000))]);
    },
    { auto: true },
  ],
});

export { expect };
