import { describe, expect, test } from 'vitest';
import { ZodError } from 'zod';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { emailDomainAllowed, getOidcConnection, setOidcConnection } from './sso-connections.ts';


async function org() {
  return db().organization.create({ data: { slug: randomSlug(), name: 'SSO org' } });
}

const input = { issuer: 'https://idp.example.com/', clientId: 'client-1', clientSecret: 'shh-very-secret', allowedDomains: ['Acme.com'] };

describe('OIDC connections', () => {
  test('store the client secret encrypted and give it back decrypted for sign-in only', async () => {
    const a = await org();
    const saved = await setOidcConnection({ orgId: a.id, ...input });
    expect(saved).not.toHaveProperty('clientSecretEnc');
    const [row] = await db().$queryRaw<{ row: string }[]>`SELECT row_to_json(c)::text AS row FROM "SsoConnection" c WHERE "orgId" = ${a.id}`;
    expect(row!.row).not.toContain('shh-very-secret');
    expect(await getOidcConnection(a.id)).toEqual({ issuer: 'https://idp.example.com', clientId: 'client-1', clientSecret: 'shh-very-secret', allowedDomains: ['acme.com'] });
  });

  test('a new connection replaces the old one', async () => {
    const a = await org();
    await setOidcConnection({ orgId: a.id, ...input });
    await setOidcConnection({ orgId: a.id, ...input, clientId: 'client-2' });
    expect(await db().ssoConnection.count({ where: { orgId: a.id } })).toBe(1);
    expect((await getOidcConnection(a.id))?.clientId).toBe('client-2');
  });

  test("another org has no connection of this org's", async () => {
    const [a, b] = await Promise.all([org(), org()]);
    await setOidcConnection({ orgId: a.id, ...input });
    expect(await getOidcConnection(b.id)).toBeNull();
  });

  test.each([
    [{ issuer: 'not a url' }, 'issuer'],
    [{ issuer: 'ftp://idp.example.com' }, 'issuer'],
    [{ allowedDomains: [] }, 'allowedDomains'],
    [{ allowedDomains: ['not a domain'] }, 'allowedDomains'],
  ])('rejects %j', async (bad, field) => {
    const a = await org();
    const error = await setOidcConnection({ orgId: a.id, ...input, ...bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0]!.path[0]).toBe(field);
  });
});

describe('emailDomainAllowed', () => {
  test.each([
    ['alice@acme.com', true],
    ['Alice@ACME.com', true],
    ['alice@sub.acme.com', false],
    ['alice@acme.com.evil.test', false],
    ['acme.com', false],
    [null, false],
  ])('%s → %s', (email, allowed) => {
    expect(emailDomainAllowed(email, ['acme.com'])).toBe(allowed);
  });
});
