import { generate } from 'selfsigned';

// A stand-in SAML identity provider for tests: a key pair with a self-signed certificate, made at
// test time (no private key is ever stored), and the IdP metadata that publishes it.

export const IDP_ENTITY_ID = 'https://idp.test/saml/entity';
export const IDP_SSO_URL = 'https://idp.test/saml/sso';

export interface IdpKey {
  private: string;
  cert: string;
}

export function makeIdpKey(commonName: string): Promise<IdpKey> {
  return generate([{ name: 'commonName', value: commonName }], { keySize: 2048, algorithm: 'sha256', notAfterDate: new Date(Date.now() + 86_400_000) });
}

/** The certificate's base64 body, as metadata and KeyInfo carry it. */
export function certBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
}

/** IdP metadata with an HTTP-POST and (unless left out) an HTTP-Redirect SSO service, signing with `certPem` (if any). */
export function idpMetadata(certPem: string | null, { redirectSso = true } = {}): string {
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${IDP_ENTITY_ID}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    ${certPem ? `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(certPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` : ''}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${IDP_SSO_URL}/post"/>
    ${redirectSso ? `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${IDP_SSO_URL}"/>` : ''}
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}
