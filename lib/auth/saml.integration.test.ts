import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { ZodError } from 'zod';
import { POST as acs } from '../../app/api/orgs/[org]/saml/acs/route.ts';
import { GET as login } from '../../app/api/orgs/[org]/saml/login/route.ts';
import { GET as metadata } from '../../app/api/orgs/[org]/saml/metadata/route.ts';
import { GET as weeklyMetrics } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { certBody, IDP_ENTITY_ID, IDP_SSO_URL, idpMetadata, makeIdpKey, type IdpKey } from '../../test/saml-idp.ts';
import { listAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import { log } from '../log.ts';
import { SAML_CLOCK_SKEW_MS, samlUrls, setSamlConnection } from './saml.ts';
import { publicBaseUrl } from '../http/public-base-url.ts';

// SAML sign-in end to end through the route handlers, with real XML signatures: a test IdP (key
// pair and self-signed certificate made here, never stored) signs assertions with xml-crypto the
// way IdPs do (enveloped, exclusive c14n, rsa-sha256), and the ACS must accept exactly the right ones.

const ORIGIN = 'http://throughline.test';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

let idpKey: IdpKey;
let otherKey: IdpKey;

beforeAll(async () => {
  [idpKey, otherKey] = await Promise.all([makeIdpKey('Test IdP'), makeIdpKey('Another IdP')]);
});

async function samlOrg() {
  const org = await db().organization.create({ data: { slug: randomSlug('saml'), name: 'SAML org', defaultRole: 'admin' } });
  await setSamlConnection({ orgId: org.id, metadataXml: idpMetadata(idpKey.cert), allowedDomains: ['acme.test'] });
  return { org, ...samlUrls(publicBaseUrl(new Request(ORIGIN)), org.slug) };
}

const ctx = (slug: string) => ({ params: Promise.resolve({ org: slug }) });

/** Starts a sign-in through the login route, as a browser would; returns the AuthnRequest's id. */
async function startSignIn(slug: string): Promise<string> {
  const res = await login(new Request(`${ORIGIN}/api/orgs/${slug}/saml/login`), ctx(slug));
  const request = inflateRawSync(Buffer.from(new URL(res.headers.get('location')!).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  return request.match(/ ID="([^"]+)"/)![1]!;
}

interface AssertionOptions {
  requestId: string | null;
  acsUrl: string;
  audience: string;
  email?: string;
  nameIdFormat?: string;
  attributes?: Record<string, string>;
  issuer?: string;
  recipient?: string;
  notOnOrAfter?: Date;
}

const iso = (d: Date) => d.toISOString();
const id = () => `_${randomBytes(16).toString('hex')}`;

function assertionXml(o: AssertionOptions): string {
  const now = new Date();
  const notOnOrAfter = iso(o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000));
  const inResponseTo = o.requestId ? ` InResponseTo="${o.requestId}"` : '';
  const attributes = Object.entries(o.attributes ?? {})
    .map(([name, value]) => `<saml:Attribute Name="${name}"><saml:AttributeValue>${value}</saml:AttributeValue></saml:Attribute>`)
    .join('');
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${iso(now)}">` +
    `<saml:Issuer>${o.issuer ?? IDP_ENTITY_ID}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${o.nameIdFormat ?? EMAIL_FORMAT}">${o.email ?? 'alice@acme.test'}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${o.recipient ?? o.acsUrl}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(new Date(now.getTime() - 60_000))}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${o.audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${id()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`
  );
}

/** A Response around one assertion, the assertion signed (enveloped, exc-c14n, rsa-sha256) as most IdPs do. */
function signedResponse(o: AssertionOptions, key: IdpKey = idpKey): string {
  const inResponseTo = o.requestId ? ` InResponseTo="${o.requestId}"` : '';
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${iso(new Date())}" Destination="${o.acsUrl}"${inResponseTo}>` +
    `<saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    assertionXml(o) +
    `</samlp:Response>`;
  const sig = new SignedXml({
    privateKey: key.private,
    publicCert: key.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

async function postToAcs(slug: string, responseXml: string): Promise<Response> {
  const body = new URLSearchParams({ SAMLResponse: Buffer.from(responseXml).toString('base64'), RelayState: '' });
  return acs(new Request(`${ORIGIN}/api/orgs/${slug}/saml/acs`, { method: 'POST', body }), ctx(slug));
}

/** Signs in with a fresh request and a correctly signed answer, changed by `o` and then by `edit`. */
async function answer(setup: Awaited<ReturnType<typeof samlOrg>>, o: Partial<AssertionOptions> = {}, edit: (xml: string) => string = (x) => x, key?: IdpKey) {
  const requestId = await startSignIn(setup.org.slug);
  const xml = signedResponse({ requestId, acsUrl: setup.acsUrl, audience: setup.entityId, ...o }, key);
  return postToAcs(setup.org.slug, edit(xml));
}

/** Refused with `reason` for the sign-in page, no session, none of `emails` made a user; `why`: the logged cause. */
async function expectRefused(res: Response, slug: string, reason: 'saml' | 'domain', emails: string[], why?: RegExp) {
  if (why) expect(warnings.mock.calls.at(-1)?.[0]).toMatchObject({ reason: expect.stringMatching(why) });
  warnings.mockClear();
  expect({ status: res.status, location: res.headers.get('location'), cookie: res.headers.get('set-cookie') }).toEqual({
    status: 303,
    location: `/${slug}/sign-in?error=${reason}`,
    cookie: null,
  });
  expect(await db().user.count({ where: { email: { in: emails } } })).toBe(0);
}

// Refusals are logged with their cause; kept off the test output, checked by expectRefused.
const warnings = vi.spyOn(log, 'warn').mockImplementation(() => undefined);

describe('SAML sign-in', () => {
  test('a correctly signed assertion signs its user in, with membership in the default role, once', async () => {
    const setup = await samlOrg();
    const requestId = await startSignIn(setup.org.slug);
    const xml = signedResponse({ requestId, acsUrl: setup.acsUrl, audience: setup.entityId, email: 'Alice.Saml@Acme.test' });
    const res = await postToAcs(setup.org.slug, xml);
    expect({ status: res.status, location: res.headers.get('location') }).toEqual({ status: 303, location: `/${setup.org.slug}` });

    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^next-auth\.session-token=[0-9a-f]{64}$/);
    const weekly = await weeklyMetrics(new Request(`${ORIGIN}/api/orgs/${setup.org.slug}/metrics/weekly`, { headers: { cookie } }), ctx(setup.org.slug));
    expect(weekly.status).toBe(200);

    const user = await db().user.findUniqueOrThrow({ where: { email: 'alice.saml@acme.test' }, include: { memberships: true } });
    expect(user.memberships.map((m) => [m.orgId, m.role])).toEqual([[setup.org.id, 'admin']]);

    // The same answer again (a replay) no longer names a pending request.
    await expectRefused(await postToAcs(setup.org.slug, xml), setup.org.slug, 'saml', [], /InResponseTo is not valid/);
  });

  test('an existing member keeps their role; the email may come from an attribute instead of the NameID', async () => {
    const setup = await samlOrg();
    const user = await db().user.create({ data: { email: 'bob.attr@acme.test' } });
    await db().membership.create({ data: { orgId: setup.org.id, userId: user.id, role: 'member' } });
    const res = await answer(setup, {
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      email: 'opaque-id-123',
      attributes: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'Bob.Attr@acme.test' },
    });
    expect(res.headers.get('location')).toBe(`/${setup.org.slug}`);
    expect(await db().membership.findMany({ where: { userId: user.id }, select: { role: true } })).toEqual([{ role: 'member' }]);
  });

  test('one byte changed in the signed assertion is refused', async () => {
    const setup = await samlOrg();
    const res = await answer(setup, { email: 'bob.tamper@acme.test' }, (xml) => xml.replace('>bob.tamper@', '>rob.tamper@'));
    await expectRefused(res, setup.org.slug, 'saml', ['bob.tamper@acme.test', 'rob.tamper@acme.test'], /^Invalid signature$/);
  });

  test('expired beyond the clock skew is refused; within it, accepted', async () => {
    const setup = await samlOrg();
    const expired = await answer(setup, { email: 'carol.late@acme.test', notOnOrAfter: new Date(Date.now() - SAML_CLOCK_SKEW_MS - 5_000) });
    await expectRefused(expired, setup.org.slug, 'saml', ['carol.late@acme.test'], /No valid subject confirmation/);
    const withinSkew = await answer(setup, { email: 'carol.late@acme.test', notOnOrAfter: new Date(Date.now() - SAML_CLOCK_SKEW_MS + 10_000) });
    expect(withinSkew.headers.get('location')).toBe(`/${setup.org.slug}`);
  });

  test('an assertion for another audience is refused', async () => {
    const setup = await samlOrg();
    const res = await answer(setup, { email: 'dan.aud@acme.test', audience: 'https://other-sp.test/metadata' });
    await expectRefused(res, setup.org.slug, 'saml', ['dan.aud@acme.test'], /audience mismatch/);
  });

  test("an assertion signed by another key is refused (even with the IdP's certificate inside)", async () => {
    const setup = await samlOrg();
    const res = await answer(setup, { email: 'erin.key@acme.test' }, (xml) => xml, otherKey);
    await expectRefused(res, setup.org.slug, 'saml', ['erin.key@acme.test'], /^Invalid signature$/);
    // Swapping our IdP's certificate into the KeyInfo changes nothing: only configured certificates verify.
    const swapped = await answer(setup, { email: 'erin.key@acme.test' }, (xml) => xml.replace(certBody(otherKey.cert), certBody(idpKey.cert)), otherKey);
    await expectRefused(swapped, setup.org.slug, 'saml', ['erin.key@acme.test'], /^Invalid signature$/);
  });

  test('signature wrapping is refused: an added unsigned assertion, or the signed one moved aside', async () => {
    const setup = await samlOrg();
    const evil = (o: Partial<AssertionOptions>) => assertionXml({ requestId: null, acsUrl: setup.acsUrl, audience: setup.entityId, email: 'mallory@acme.test', ...o });
    // node-saml refuses a Response with more than one assertion.
    const added = await answer(setup, { email: 'frank.signed@acme.test' }, (xml) => xml.replace('<saml:Assertion ', `${evil({})}<saml:Assertion `));
    await expectRefused(added, setup.org.slug, 'saml', ['mallory@acme.test', 'frank.signed@acme.test'], /multiple assertions/);
    // The signed assertion hidden in Extensions, an unsigned one in its place: the one read has no signature.
    const moved = await answer(setup, { email: 'frank.signed@acme.test' }, (xml) => {
      const signed = xml.match(/<saml:Assertion [\s\S]*<\/saml:Assertion>/)![0];
      return xml.replace(signed, `<samlp:Extensions>${signed}</samlp:Extensions>${evil({})}`);
    });
    await expectRefused(moved, setup.org.slug, 'saml', ['mallory@acme.test', 'frank.signed@acme.test'], /^Invalid signature$/);
  });

  test('a signed assertion from another issuer, for another ACS, or unsolicited is refused', async () => {
    const setup = await samlOrg();
    const emails = ['gina.checks@acme.test'];
    await expectRefused(await answer(setup, { email: emails[0], issuer: 'https://evil-idp.test' }), setup.org.slug, 'saml', emails, /not the IdP/);
    await expectRefused(await answer(setup, { email: emails[0], recipient: 'https://other-sp.test/acs' }), setup.org.slug, 'saml', emails, /no bearer SubjectConfirmationData/);
    const unsolicited = signedResponse({ requestId: null, acsUrl: setup.acsUrl, audience: setup.entityId, email: emails[0] });
    await expectRefused(await postToAcs(setup.org.slug, unsolicited), setup.org.slug, 'saml', emails, /InResponseTo is missing/);
    // A request id issued for another org does not answer for this one.
    const other = await samlOrg();
    const foreignRequest = await startSignIn(other.org.slug);
    const crossed = signedResponse({ requestId: foreignRequest, acsUrl: setup.acsUrl, audience: setup.entityId, email: emails[0] });
    await expectRefused(await postToAcs(setup.org.slug, crossed), setup.org.slug, 'saml', emails, /InResponseTo is not valid/);
  });

  test('a correctly signed assertion for a disallowed email domain is refused with error=domain', async () => {
    const setup = await samlOrg();
    const res = await answer(setup, { email: 'henry@elsewhere.test' });
    await expectRefused(res, setup.org.slug, 'domain', ['henry@elsewhere.test']);
    expect(await db().membership.count({ where: { orgId: setup.org.id } })).toBe(0);
  });

  test('a post without a SAMLResponse is refused', async () => {
    const setup = await samlOrg();
    const res = await acs(new Request(`${ORIGIN}/api/orgs/${setup.org.slug}/saml/acs`, { method: 'POST', body: new URLSearchParams({}) }), ctx(setup.org.slug));
    await expectRefused(res, setup.org.slug, 'saml', [], /no SAMLResponse/);
  });
});

describe('SAML endpoints', () => {
  test('metadata gives the ACS URL and entity id; login redirects to the IdP with an AuthnRequest', async () => {
    const setup = await samlOrg();
    const res = await metadata(new Request(`${ORIGIN}/api/orgs/${setup.org.slug}/saml/metadata`), ctx(setup.org.slug));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/samlmetadata\+xml/);
    const xml = await res.text();
    expect(xml).toContain(`entityID="${setup.entityId}"`);
    expect(xml).toMatch(new RegExp(`<AssertionConsumerService [^>]*Location="${setup.acsUrl}"`));

    const redirect = await login(new Request(`${ORIGIN}/api/orgs/${setup.org.slug}/saml/login`), ctx(setup.org.slug));
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(IDP_SSO_URL);
    const request = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    expect(request).toContain(`AssertionConsumerServiceURL="${setup.acsUrl}"`);
    expect(request).toContain(`>${setup.entityId}</saml:Issuer>`);
    expect(location.searchParams.has('Signature')).toBe(false);
  });

  test('an org without a SAML connection answers 404 on all three routes', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug('nosaml'), name: 'No SAML' } });
    const base = `${ORIGIN}/api/orgs/${org.slug}/saml`;
    const statuses = [
      (await login(new Request(`${base}/login`), ctx(org.slug))).status,
      (await metadata(new Request(`${base}/metadata`), ctx(org.slug))).status,
      (await acs(new Request(`${base}/acs`, { method: 'POST', body: new URLSearchParams({ SAMLResponse: 'x' }) }), ctx(org.slug))).status,
    ];
    expect(statuses).toEqual([404, 404, 404]);
  });
});

describe('setSamlConnection', () => {
  test('stores the IdP, replaces the previous connection and records the change', async () => {
    const setup = await samlOrg();
    await setSamlConnection({ orgId: setup.org.id, metadataXml: idpMetadata(idpKey.cert), allowedDomains: ['Other.test'] });
    const rows = await db().ssoConnection.findMany({ where: { orgId: setup.org.id } });
    expect(rows.map((r) => [r.kind, r.issuer, r.allowedDomains])).toEqual([['saml', IDP_ENTITY_ID, ['other.test']]]);
    expect((await listAudit({ orgId: setup.org.id })).map((e) => e.action)).toEqual(['sso.saml_set', 'sso.saml_set']);
  });

  test.each([
    [{ metadataXml: '<not xml' }, 'metadataXml: IdP metadata is not well-formed XML'],
    [{ metadataXml: '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>' }, 'metadataXml: IdP metadata has no EntityDescriptor with an IDPSSODescriptor'],
    [{ sso: false }, 'metadataXml: IdP metadata has no SingleSignOnService with the HTTP-Redirect binding'],
    [{ cert: false }, 'metadataXml: IdP metadata has no signing certificate'],
    [{ allowedDomains: [] }, 'allowedDomains: give at least one email domain allowed to sign in'],
  ])('refuses %j with a message saying what is wrong', async (bad, message) => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Bad metadata' } });
    const { sso = true, cert = true, ...rest } = bad as { sso?: boolean; cert?: boolean; metadataXml?: string; allowedDomains?: string[] };
    const input = { metadataXml: idpMetadata(cert ? idpKey.cert : null, { redirectSso: sso }), allowedDomains: ['acme.test'], ...rest };
    const error = await setSamlConnection({ orgId: org.id, ...input }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toContain(message);
    expect(await db().ssoConnection.count({ where: { orgId: org.id } })).toBe(0);
  });
});
