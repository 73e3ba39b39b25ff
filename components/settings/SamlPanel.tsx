'use client';

import { useState } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { useSettingsMutation } from './useSettingsMutation.ts';

export function SamlPanel({
  org,
  urls,
  saml,
}: {
  org: string;
  urls: { acsUrl: string; entityId: string };
  saml: { idpEntityId: string; allowedDomains: string[] } | null;
}) {
  const save = useSettingsMutation(org);
  const [metadataXml, setMetadataXml] = useState('');
  const [domains, setDomains] = useState(saml?.allowedDomains.join(', ') ?? '');
  return (
    <section className="card" aria-labelledby="saml">
      <h2 id="saml">Single sign-on (SAML 2.0)</h2>
      <p className="muted">
        Give your identity provider the ACS URL <code>{urls.acsUrl}</code> <CopyButton value={urls.acsUrl} /> and the entity id
        (also our metadata URL) <code>{urls.entityId}</code> <CopyButton value={urls.entityId} />. Assertions must be signed; NameID
        or an email attribute carries the email.
      </p>
      {saml && <p>Connected to <code>{saml.idpEntityId}</code> for {saml.allowedDomains.join(', ')}.</p>}
      <form
        className="stacked-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ path: 'sso/saml', method: 'PUT', body: { metadataXml, allowedDomains: domains.split(',').map((d) => d.trim()).filter(Boolean) } });
        }}
      >
        <label>IdP metadata XML <textarea rows={5} value={metadataXml} onChange={(e) => setMetadataXml(e.target.value)} required /></label>
        <label>Allowed email domains <input value={domains} onChange={(e) => setDomains(e.target.value)} placeholder="acme.com" required /></label>
        <button className="button" type="submit" disabled={save.isPending}>{saml ? 'Replace SAML connection' : 'Save SAML connection'}</button>
      </form>
      {save.error && <p className="banner error" role="alert">{save.error.message}</p>}
      {save.isSuccess && <p className="banner" role="status">Saved. People of these domains can now sign in at /{org}/sign-in.</p>}
    </section>
  );
}
