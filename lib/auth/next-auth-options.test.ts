import { describe, expect, test } from 'vitest';
import { signInOrgSlug } from './next-auth-options.ts';

describe('signInOrgSlug', () => {
  test.each([
    ['/api/auth/signin/oidc-acme', undefined, 'acme'],
    ['/api/auth/callback/oidc-acme-eu', 'other', 'acme-eu'],
    ['/api/auth/providers', 'acme', 'acme'],
    ['/api/auth/csrf', undefined, null],
    ['/api/auth/session', 'Bad Slug;', null],
  ])('%s with cookie %s → %s', (path, cookie, slug) => {
    expect(signInOrgSlug(path, cookie)).toBe(slug);
  });
});
