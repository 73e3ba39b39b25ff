import { expect, test as setup } from '@playwright/test';

// Runs before every other test (a Playwright setup project). A fresh server on the embedded
// database spends its first minute or so building the demo's rollups on its one connection, and
// pages wait behind that; tests should measure the product, not its first minute. So: open the
// main pages until one round of them answers quickly, for at most four minutes.
const PAGES = ['/demo', '/demo/teams/platform', '/demo/settings', '/demo/settings/sources', '/api/orgs/demo/metrics/weekly?team=platform'];

setup('the server has finished its start-up work', async ({ request }) => {
  setup.setTimeout(300_000);
  expect((await request.post('/api/orgs/demo/demo-sign-in', { maxRedirects: 0 })).status()).toBe(303);
  const deadline = Date.now() + 240_000;
  for (;;) {
    const started = Date.now();
    for (const path of PAGES) expect((await request.get(path, { timeout: 120_000 })).status()).toBe(200);
    const took = Date.now() - started;
    if (took < 5_000 || Date.now() > deadline) {
      console.log(`warm-up: one round of ${PAGES.length} pages in ${took} ms`);
      return;
    }
  }
});
