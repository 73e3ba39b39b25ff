import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';

// What the SP needs from an identity provider's SAML metadata: who it is (entityID), where to
// send the browser (its HTTP-Redirect SingleSignOnService) and the certificates it signs with.

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** PEM certificates; an answer signed by any of them verifies (IdPs list two while rolling keys). */
  signingCerts: string[];
}

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const select = xpath.useNamespaces({ md: 'urn:oasis:names:tc:SAML:2.0:metadata', ds: 'http://www.w3.org/2000/09/xmldsig#' });

/** Reads the IdP's metadata; throws an Error whose message says what is missing or wrong. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const problems: string[] = [];
  const record = (message: string) => void problems.push(message);
  const doc = new DOMParser({ errorHandler: { warning: () => {}, error: record, fatalError: record } }).parseFromString(xml, 'text/xml');
  if (problems.length || !doc?.documentElement) throw new Error(`is not well-formed XML (${problems[0] ?? 'empty'})`);

  const idps = select('//md:EntityDescriptor[md:IDPSSODescriptor]', doc) as Element[];
  if (idps.length !== 1) {
    throw new Error(idps.length ? `describes ${idps.length} identity providers; give the metadata of yours alone` : 'has no EntityDescriptor with an IDPSSODescriptor (is it the IdP metadata?)');
  }
  const idp = idps[0]!;
  const entityId = idp.getAttribute('entityID')?.trim();
  if (!entityId) throw new Error('has no entityID on its EntityDescriptor');

  const ssoUrl = String(select(`string(md:IDPSSODescriptor/md:SingleSignOnService[@Binding='${REDIRECT_BINDING}']/@Location)`, idp)).trim();
  if (!ssoUrl) throw new Error('has no SingleSignOnService with the HTTP-Redirect binding');
  if (!/^https?:\/\//.test(ssoUrl) || !URL.canParse(ssoUrl)) throw new Error(`has a SingleSignOnService location that is not an http(s) URL: ${ssoUrl}`);

  // A KeyDescriptor without `use` serves both signing and encryption.
  const certNodes = select("md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate", idp) as Element[];
  const signingCerts = certNodes.map((node) => toPem(node.textContent ?? ''));
  if (!signingCerts.length) throw new Error('has no signing certificate (KeyDescriptor use="signing" with an X509Certificate)');
  return { entityId, ssoUrl, signingCerts };
}

function toPem(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    throw new Error('has a signing certificate that is not a valid X.509 certificate');
  }
  return pem;
}
