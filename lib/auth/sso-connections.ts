import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import { decryptSecret, encryptSecret } from './secrets.ts';

// Each org signs in through its own identity provider. An OIDC connection is an issuer (found by
// discovery), a client id, a client secret (stored encrypted, never returned), and the email
// domains whose users may sign in.

const domain = z.string().trim().toLowerCase().regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a domain such as example.com');
/** The email domains whose users may sign in through a connection (OIDC or SAML). */
export const allowedDomainsSchema = z.array(domain).min(1, 'give at least one email domain allowed to sign in');

export const oidcConnectionSchema = z.object({
  issuer: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL').transform((u) => u.replace(/\/+$/, '')),
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(2000),
  allowedDomains: allowedDomainsSchema,
});

export type OidcConnectionInput = z.input<typeof oidcConnectionSchema>;

/** Sets the org's OIDC connection (an org has at most one; a new one replaces the old). */
export async function setOidcConnection({ orgId, actorUserId = null, ...input }: { orgId: string; actorUserId?: string | null } & OidcConnectionInput) {
  const data = oidcConnectionSchema.parse(input);
  const connection = await db().$transaction(async (tx) => {
    await tx.ssoConnection.deleteMany({ where: { orgId, kind: 'oidc' } });
    return tx.ssoConnection.create({
      data: { orgId, kind: 'oidc', issuer: data.issuer, clientId: data.clientId, clientSecretEnc: encryptSecret(data.clientSecret), allowedDomains: data.allowedDomains },
      omit: { clientSecretEnc: true },
    });
  });
  const detail = { issuer: data.issuer, clientId: data.clientId, allowedDomains: data.allowedDomains };
  await recordAudit({ orgId, actorUserId, action: 'sso.oidc_set', target: `sso:${connection.id}`, detail });
  return connection;
}

/** The org's enabled OIDC connection with its secret decrypted, for building its sign-in; null if none. */
export async function getOidcConnection(orgId: string) {
  const connection = await db().ssoConnection.findFirst({ where: { orgId, kind: 'oidc', enabled: true } });
  if (!connection?.issuer || !connection.clientId || !connection.clientSecretEnc) return null;
  return {
    issuer: connection.issuer,
    clientId: connection.clientId,
    clientSecret: decryptSecret(connection.clientSecretEnc),
    allowedDomains: connection.allowedDomains,
  };
}

export function emailDomainAllowed(email: string | null | undefined, allowedDomains: readonly string[]): boolean {
  const domainOf = email?.toLowerCase().match(/@([^@]+)$/)?.[1];
  return Boolean(domainOf && allowedDomains.includes(domainOf));
}
