import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';
import { throughline } from '../server-database.ts';
import { startIdentityProvider, type TestIdentityProvider } from './oidc-identity-provider.ts';

// Org A signs in through its own OIDC provider, configured with the CLI as an admin would.
const slug = `sso-${Date.now().toString(36)}`;
const otherSlug = `${slug}-other`;
let idp: TestIdentityProvider;


test.beforeAll(async ({ baseURL }) => {
  idp = await startIdentityProvider({ port: Number(new URL(baseURL!).port) + 101, redirectUri: `${baseURL}/api/auth/callback/oidc-${slug}` });
  throughline(['org', 'create', slug, '--name', 'Acme SSO'], { PUBLIC_URL: baseURL! });
  throughline(['org', 'create', otherSlug, '--name', 'Other org'], { PUBLIC_URL: baseURL! });
  throughline(['org', 'add-oidc', slug, '--issuer', idp.issuer, '--client-id', idp.clientId, '--client-secret', idp.clientSecret, '--domains', 'acme.test'], { PUBLIC_URL: baseURL! });
});

test.afterAll(async () => {
  await idp?.close();
});

async function signInAtProvider(page: Page, email: string, shot?: string) {
  await page.goto(`/${slug}/sign-in`);
  await page.getByRole('button', { name: 'Sign in with Acme SSO single sign-on' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.locator('input[name=login]').fill(email);
  await page.locator('input[name=password]').fill('any password');
  if (shot) await screenshot(page, shot);
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  if (await consent.isVisible({ timeout: 5000 }).catch(() => false)) await consent.click();
}

test('a user of an allowed domain signs in through the org IdP and lands on its dashboard; other orgs stay not found', async ({ page }) => {
  await page.goto(`/${slug}`);
  await expect(page).toHaveURL(new RegExp(`/${slug}/sign-in$`));
  await screenshot(page, 'sso-sign-in');

  await signInAtProvider(page, 'alice@acme.test', 'sso-idp-login');
  await expect(page).toHaveURL(new RegExp(`/${slug}$`));
  await expect(page.getByRole('heading', { name: 'Acme SSO', level: 1 })).toBeVisible();
  await screenshot(page, 'sso-signed-in');

  const res = await page.goto(`/${otherSlug}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  // The session cookie is HttpOnly and SameSite=Lax.
  const cookie = (await page.context().cookies()).find((c) => c.name === 'next-auth.session-token');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
});

test('a user from a domain the org does not allow is refused with a clear page', async ({ page }) => {
  await signInAtProvider(page, 'mallory@elsewhere.test');
  await expect(page).toHaveURL(new RegExp(`/${slug}/sign-in\\?error=domain$`));
  await expect(page.getByRole('alert').filter({ hasText: 'not in a domain allowed to sign in' })).toBeVisible();
  await screenshot(page, 'sso-refused-domain');
  await page.goto(`/${slug}`);
  await expect(page).toHaveURL(new RegExp(`/${slug}/sign-in$`));
});
