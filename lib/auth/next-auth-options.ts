import 'server-only';
import { hkdfSync } from 'node:crypto';
import { PrismaAdapter } from '@next-auth/prisma-adapter';
import type { AuthOptions } from 'next-auth';
import type { Adapter, AdapterAccount } from 'next-auth/adapters';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { db } from '../db/client.ts';
import { env } from '../env.ts';
import { getOrgBySlug } from '../orgs/get-org-by-slug.ts';
import { parseSecretKey } from './secrets.ts';
import { ABSOLUTE_LIFETIME_MS } from './sessions.ts';
import { emailDomainAllowed, getOidcConnection } from './sso-connections.ts';

// next-auth, configured per request for one org: its own identity provider (provider id
// `oidc-<slug>`), database sessions in the Session table that lib/auth/sessions.ts reads, and
// just-in-time membership for users of the org's allowed email domains.

export const PROVIDER_PREFIX = 'oidc-';
/** Remembers which org a sign-in started from, for next-auth calls without the org in the path. */
export const SIGN_IN_ORG_COOKIE = 'tl_sign_in_org';

/** The org slug of a next-auth request: from the provider id in the path, else the cookie. */
export function signInOrgSlug(pathname: string, cookieValue: string | undefined): string | null {
  const fromPath = pathname.match(/\/api\/auth\/(?:signin|callback)\/oidc-([a-z0-9-]+)/)?.[1];
  return fromPath ?? (cookieValue && /^[a-z0-9-]+$/.test(cookieValue) ? cookieValue : null);
}

/** next-auth's signing secret, derived from THROUGHLINE_SECRET_KEY so there is one key to manage. */
function authSecret(): string {
  const key = parseSecretKey(env().THROUGHLINE_SECRET_KEY ?? '');
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'throughline next-auth', 32)).toString('base64url');
}

function adapter(orgId: string | null): Adapter {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the adapter predates Prisma 7's client types
  const base = PrismaAdapter(db() as any);
  return {
    ...base,
    // Sessions are bound to the org whose IdP signed the user in (see lib/auth/sessions.ts).
    createSession: async ({ sessionToken, userId, expires }) => {
      if (!orgId) throw new Error('sign-in without an organization');
      return db().session.create({ data: { sessionToken, userId, expires, orgId } });
    },
    // next-auth v4 passes every token field; keep the Account columns only.
    linkAccount: (account: AdapterAccount) => {
      const { userId, type, provider, providerAccountId, refresh_token, access_token, expires_at, token_type, scope, id_token, session_state } = account;
      return base.linkAccount!({ userId, type, provider, providerAccountId, refresh_token, access_token, expires_at, token_type, scope, id_token, session_state });
    },
  };
}

interface OidcProfile {
  sub: string;
  email?: string;
  name?: string;
}

export async function authOptionsFor(slug: string | null): Promise<AuthOptions> {
  const org = slug ? await getOrgBySlug(slug).catch(() => null) : null;
  const connection = org ? await getOidcConnection(org.id) : null;
  const providers: OAuthConfig<OidcProfile>[] =
    org && connection
      ? [
          {
            id: `${PROVIDER_PREFIX}${org.slug}`,
            name: `${org.name} single sign-on`,
            type: 'oauth',
            wellKnown: `${connection.issuer}/.well-known/openid-configuration`,
            clientId: connection.clientId,
            clientSecret: connection.clientSecret,
            checks: ['pkce', 'state'],
            // Safe because sessions are bound to this org: linking lets one person belong to several orgs,
            // each signing in through its own IdP, and no IdP can open another org's data.
            allowDangerousEmailAccountLinking: true,
            idToken: true,
            authorization: { params: { scope: 'openid email profile' } },
            // With idToken the profile comes from the ID token alone; many issuers put email only in /userinfo.
            userinfo: {
              // At run time `tokens` is openid-client's TokenSet, whose claims() are the verified ID token claims.
              request: async ({ client, tokens }) => ({
                ...(tokens as unknown as { claims(): object }).claims(),
                ...(await client.userinfo(tokens.access_token!)),
              }),
            },
            profile: (p) => ({ id: p.sub, email: p.email?.toLowerCase() ?? null, name: p.name ?? p.email ?? null }),
          },
        ]
      : [];
  const signInPage = org ? `/${org.slug}/sign-in` : '/';
  return {
    adapter: adapter(org?.id ?? null),
    secret: authSecret(),
    providers,
    session: { strategy: 'database', maxAge: ABSOLUTE_LIFETIME_MS / 1000 },
    pages: { signIn: signInPage, error: signInPage },
    callbacks: {
      // Only users of the org's allowed email domains, as asserted by the org's own IdP.
      signIn: ({ user }) => Boolean(connection && emailDomainAllowed(user.email, connection.allowedDomains)) || `${signInPage}?error=domain`,
      redirect: ({ url, baseUrl }) => (url.startsWith('/') ? `${baseUrl}${url}` : url.startsWith(baseUrl) ? url : baseUrl),
    },
    events: {
      // Just-in-time membership with the org's default role; an existing membership keeps its role.
      signIn: async ({ user }) => {
        if (!org) return;
        await db().membership.upsert({
          where: { orgId_userId: { orgId: org.id, userId: user.id } },
          create: { orgId: org.id, userId: user.id, role: org.defaultRole },
          update: {},
        });
      },
    },
  };
}
