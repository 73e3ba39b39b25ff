import { generateServiceProviderMetadata, SAML, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';
import { log } from '../log.ts';
import { getOrgBySlug, type Org } from '../orgs/get-org-by-slug.ts';
import { parseIdpMetadata, type IdpMetadata } from './saml-metadata.ts';
import { PENDING_REQUEST_TTL_MS, pendingSamlRequests } from './saml-pending-requests.ts';
import { createSession } from './sessions.ts';
import { allowedDomainsSchema, emailDomainAllowed } from './sso-connections.ts';

// SAML 2.0 sign-in, per org, SP-initiated: the login route sends the browser to the org's IdP with
// an AuthnRequest (HTTP-Redirect); the IdP posts a signed Response to the org's ACS (HTTP-POST).
// The org's connection is its IdP metadata (entity id, SSO URL, signing certificates) and the
// email domains whose users may sign in. Each org is its own SP: entity id and ACS carry its slug.

/** Generous for NTP-synced clocks and for IdPs that set NotBefore to the very instant they sign, yet
 *  adds little to the usual 5-minute NotOnOrAfter; replays are stopped by InResponseTo, not by time. */
export const SAML_CLOCK_SKEW_MS = 30_000;
const EMAIL_NAMEID_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const EMAIL_ATTRIBUTES = ['email', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'];
const NAME_ATTRIBUTES = ['name', 'displayName', 'http://schemas.microsoft.com/identity/claims/displayname'];
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export const samlConnectionSchema = z.object({
  metadataXml: z
    .string()
    .trim()
    .min(1, 'give the IdP metadata XML')
    .max(1_000_000, 'IdP metadata over 1 MB')
    .transform((xml, ctx) => {
      try {
        return { xml, idp: parseIdpMetadata(xml) };
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `IdP metadata ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
  allowedDomains: allowedDomainsSchema,
});

export type SamlConnectionInput = z.input<typeof samlConnectionSchema>;

/** Sets the org's SAML connection (at most one; a new one replaces the old). */
export async function setSamlConnection({ orgId, actorUserId = null, ...input }: { orgId: string; actorUserId?: string | null } & SamlConnectionInput) {
  const { metadataXml, allowedDomains } = samlConnectionSchema.parse(input);
  const connection = await db().$transaction(async (tx) => {
    await tx.ssoConnection.deleteMany({ where: { orgId, kind: 'saml' } });
    return tx.ssoConnection.create({
      data: { orgId, kind: 'saml', issuer: metadataXml.idp.entityId, samlMetadataXml: metadataXml.xml, allowedDomains },
    });
  });
  const detail = { idpEntityId: metadataXml.idp.entityId, ssoUrl: metadataXml.idp.ssoUrl, allowedDomains };
  await recordAudit({ orgId, actorUserId, action: 'sso.saml_set', target: `sso:${connection.id}`, detail });
  return connection;
}

/** The org's enabled SAML connection, its metadata read; null if none. */
export async function getSamlConnection(orgId: string): Promise<{ idp: IdpMetadata; allowedDomains: string[] } | null> {
  const connection = await db().ssoConnection.findFirst({ where: { orgId, kind: 'saml', enabled: true } });
  if (!connection?.samlMetadataXml) return null;
  return { idp: parseIdpMetadata(connection.samlMetadataXml), allowedDomains: connection.allowedDomains };
}

/** The org's SP endpoints under `baseUrl`; the metadata URL doubles as the SP entity id (and audience). */
export function samlUrls(baseUrl: string, slug: string) {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/orgs/${slug}/saml`;
  return { loginUrl: `${root}/login`, acsUrl: `${root}/acs`, entityId: `${root}/metadata` };
}

/** The org and its SAML connection; for an org without one, the same 404 as for no org at all. */
async function samlOrg(slug: string) {
  const org = await getOrgBySlug(slug).catch(() => null);
  const connection = org && (await getSamlConnection(org.id));
  if (!org || !connection) throw new AppError('not_found', `Organization '${slug}' not found`);
  return { org, connection };
}

function samlFor(org: Org, idp: IdpMetadata, baseUrl: string): SAML {
  const { acsUrl, entityId } = samlUrls(baseUrl, org.slug);
  return new SAML({
    entryPoint: idp.ssoUrl,
    callbackUrl: acsUrl,
    issuer: entityId,
    audience: entityId,
    idpCert: idp.signingCerts,
    identifierFormat: EMAIL_NAMEID_FORMAT,
    // The assertion carries the identity and must be signed. Many IdPs (Entra ID, Okta, Google by
    // default) sign only the assertion, so an unsigned Response envelope is accepted; what we read
    // from it (InResponseTo) must also appear, signed, in the assertion (see bearerConfirmation).
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    signatureAlgorithm: 'sha256',
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    // SP-initiated only: an answer must name a request we sent (no IdP-initiated sign-in, whose
    // unsolicited responses allow login CSRF and replay).
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: PENDING_REQUEST_TTL_MS,
    cacheProvider: pendingSamlRequests(org.id),
    // Let the IdP choose how to authenticate (MFA, passwordless): asking for an exact
    // PasswordProtectedTransport makes some IdPs refuse those users.
    disableRequestedAuthnContext: true,
  });
}

/** The IdP URL (HTTP-Redirect binding, unsigned AuthnRequest) to send the browser to. */
export async function samlLoginUrl(slug: string, baseUrl: string): Promise<string> {
  const { org, connection } = await samlOrg(slug);
  return samlFor(org, connection.idp, baseUrl).getAuthorizeUrlAsync('', undefined, {});
}

/** The SP metadata to give the org's IdP: entity id, ACS URL, signed assertions wanted. */
export async function getSpMetadata(slug: string, baseUrl: string): Promise<string> {
  const { org } = await samlOrg(slug);
  const { acsUrl, entityId } = samlUrls(baseUrl, org.slug);
  return generateServiceProviderMetadata({ issuer: entityId, callbackUrl: acsUrl, identifierFormat: EMAIL_NAMEID_FORMAT, wantAssertionsSigned: true });
}

export type SamlSignIn =
  | { outcome: 'signed_in'; org: Org; sessionToken: string; expires: Date }
  | { outcome: 'refused'; org: Org; reason: 'saml' | 'domain' };

/**
 * Completes a sign-in from the IdP's posted SAMLResponse: verifies it, then signs in its user if
 * their email domain is allowed, with just-in-time membership in the org's default role (an
 * existing membership keeps its role). Refusals are outcomes, for the sign-in page to explain.
 */
export async function completeSamlSignIn({ slug, baseUrl, samlResponse }: { slug: string; baseUrl: string; samlResponse: string | null }): Promise<SamlSignIn> {
  const { org, connection } = await samlOrg(slug);
  let identity: { email: string; name: string | null };
  try {
    if (!samlResponse) throw new Error('no SAMLResponse in the form');
    const acsUrl = samlUrls(baseUrl, org.slug).acsUrl;
    const { profile } = await samlFor(org, connection.idp, baseUrl).validatePostResponseAsync({ SAMLResponse: samlResponse });
    identity = verifiedIdentity(profile, connection.idp, acsUrl);
  } catch (error) {
    // The reason only: the assertion itself holds personal data.
    log.warn({ org: org.slug, reason: error instanceof Error ? error.message.slice(0, 300) : 'unknown' }, 'SAML response refused');
    return { outcome: 'refused', org, reason: 'saml' };
  }
  if (!emailDomainAllowed(identity.email, connection.allowedDomains)) {
    log.info({ org: org.slug, domain: identity.email.split('@')[1] }, 'SAML sign-in refused: email domain not allowed');
    return { outcome: 'refused', org, reason: 'domain' };
  }
  const user = await db().user.upsert({ where: { email: identity.email }, create: identity, update: {} });
  await db().membership.upsert({
    where: { orgId_userId: { orgId: org.id, userId: user.id } },
    create: { orgId: org.id, userId: user.id, role: org.defaultRole },
    update: {},
  });
  return { outcome: 'signed_in', org, ...(await createSession({ userId: user.id, orgId: org.id })) };
}

/**
 * What node-saml leaves to us, on the signed assertion it verified (signature, validity window,
 * audience, InResponseTo naming a pending request): that our IdP issued it, that it was meant
 * for this ACS in answer to that request, and whose email it carries.
 */
function verifiedIdentity(profile: Profile | null, idp: IdpMetadata, acsUrl: string): { email: string; name: string | null } {
  if (!profile) throw new Error('no assertion in the response');
  if (profile.issuer !== idp.entityId) throw new Error(`assertion issued by '${profile.issuer}', not the IdP '${idp.entityId}'`);
  if (!bearerConfirmation(profile, acsUrl)) throw new Error('no bearer SubjectConfirmationData with this ACS as Recipient and the request id as InResponseTo');
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const email = [profile.nameIDFormat === EMAIL_NAMEID_FORMAT ? profile.nameID : undefined, ...EMAIL_ATTRIBUTES.map((a) => attributes[a])]
    .find((v): v is string => typeof v === 'string' && /^[^@\s]+@[^@\s]+$/.test(v.trim()));
  if (!email) throw new Error('no email: neither an emailAddress NameID nor an email attribute');
  const name = NAME_ATTRIBUTES.map((a) => attributes[a]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return { email: email.trim().toLowerCase(), name: name?.trim() ?? null };
}

interface ParsedAssertion {
  Assertion?: { Subject?: { SubjectConfirmation?: { $?: { Method?: string }; SubjectConfirmationData?: { $?: { Recipient?: string; InResponseTo?: string } }[] }[] }[] };
}

/** The signed assertion's bearer confirmation names this ACS and the request it answers. */
function bearerConfirmation(profile: Profile, acsUrl: string): boolean {
  const assertion = (profile.getAssertion?.() as ParsedAssertion | undefined)?.Assertion;
  if (typeof profile.inResponseTo !== 'string') return false;
  return (assertion?.Subject?.[0]?.SubjectConfirmation ?? []).some(
    (c) => c.$?.Method === BEARER && (c.SubjectConfirmationData ?? []).some((d) => d.$?.Recipient === acsUrl && d.$?.InResponseTo === profile.inResponseTo),
  );
}
