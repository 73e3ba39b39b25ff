import { expect, test } from '../fixtures.ts';

// Every page carries a nonce-based Content-Security-Policy and the common security headers, and
// the app still runs under it: no script or style is refused while a user signs in and browses.

test('pages carry a nonce CSP that refuses framing, and nothing on them is blocked by it', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const home = await page.goto('/');
  const csp = home!.headers()['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(home!.headers()).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin', 'x-frame-options': 'DENY' });
  // Next.js's scripts carry the nonce of this response.
  const scriptNonces = await page.locator('script').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));

  // A fresh nonce per response.
  const again = await page.request.get('/');
  expect(again.headers()['content-security-policy']).not.toBe(csp);

  // The app hydrates and works under the policy: sign in to the demo, and a client-side form of the
  // settings page works (it creates a token through the API and shows it).
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page).toHaveURL(/\/demo$/);
  await page.goto('/demo/settings');
  await page.getByLabel('Token name').fill('CSP check');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByTestId('new-token')).toContainText(/tl_[A-Za-z0-9_-]{43}/);
  expect(violations).toEqual([]);
});

test('API answers carry the common security headers, without a page CSP', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.headers()).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
  expect(res.headers()['content-security-policy']).toBeUndefined();
});
