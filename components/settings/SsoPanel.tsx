'use client';

import { useState } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { useSettingsMutation } from './useSettingsMutation.ts';

interface OidcState {
  issuer: string;
  clientId: string;
  allowedDomains: string[];
}

export function SsoPanel({ org, redirectUrl, oidc }: { org: string; redirectUrl: string; oidc: OidcState | null }) {
  const save = useSettingsMutation(org);
  const [issuer, setIssuer] = useState(oidc?.issuer ?? '');
  const [clientId, setClientId] = useState(oidc?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState(oidc?.allowedDomains.join(', ') ?? '');
  return (
    <section className="card" aria-labelledby="sso">
      <h2 id="sso">Single sign-on (OIDC)</h2>
      <p className="muted">
        Register Throughline at your identity provider with this redirect URL: <code>{redirectUrl}</code> <CopyButton value={redirectUrl} />
      </p>
      {oidc && <p>Connected to <code>{oidc.issuer}</code> for {oidc.allowedDomains.join(', ')}.</p>}
      <form
        className="stacked-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ path: 'sso/oidc', method: 'PUT', body: { issuer, clientId, clientSecret, allowedDomains: domains.split(',').map((d) => d.trim()).filter(Boolean) } });
        }}
      >
        <label>Issuer URL <input value={issuer} onChange={(e) => setIssuer(e.target.value)} placeholder="https://acme.okta.com" required /></label>
        <label>Client id <input value={clientId} onChange={(e) => setClientId(e.target.value)} required /></label>
        <label>Client secret <input type="password" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} placeholder={oidc ? 'enter to replace (never shown)' : ''} required /></label>
        <label>Allowed email domains <input value={domains} onChange={(e) => setDomains(e.target.value)} placeholder="acme.com, acme.co.uk" required /></label>
        <button className="button" type="submit" disabled={save.isPending}>{oidc ? 'Replace connection' : 'Save connection'}</button>
      </form>
      {save.error && <p className="banner error" role="alert">{save.error.message}</p>}
      {save.isSuccess && <p className="banner" role="status">Saved. People of these domains can now sign in at /{org}/sign-in.</p>}
    </section>
  );
}
