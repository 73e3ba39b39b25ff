import { expect, test as setup } from '@playwright/test';

// Runs before every other test (a Playwright setup project). A fresh server on the embedded
// database first builds the demo's rollups on its one connection; until then every read computes
// live and pages wait. Tests should measure the product, not its first minute: so this asks for
// one team's weekly figures (a light read) until they come back quickly, for at most three
// minutes, and never fails on its own: a server that stays slow fails the tests that follow.
setup('the server has finished its start-up work', async ({ request }) => {
  setup.setTimeout(240_000);
  expect((await request.post('/api/orgs/demo/demo-sign-in', { maxRedirects: 0 })).status()).toBe(303);
  const deadline = Date.now() + 180_000;
  let took = Infinity;
  while (Date.now() < deadline) {
    const started = Date.now();
    const ok = await request.get('/api/orgs/demo/metrics/weekly?team=platform', { timeout: 60_000 }).then((r) => r.ok(), () => false);
    took = Date.now() - started;
    if (ok && took < 1_500) break;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  console.log(`warm-up: the weekly figures answered in ${took} ms`);
});
