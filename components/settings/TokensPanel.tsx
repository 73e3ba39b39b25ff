'use client';

import { useState } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { useSettingsMutation } from './useSettingsMutation.ts';
import { TOKEN_SCOPES } from '@/lib/auth/token-scopes.ts';

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}


export function TokensPanel({ org, tokens }: { org: string; tokens: TokenRow[] }) {
  const create = useSettingsMutation<{ token: string }>(org);
  const revoke = useSettingsMutation(org);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['ingest:write']);
  return (
    <section className="card" aria-labelledby="tokens">
      <h2 id="tokens">Ingest tokens</h2>
      <p className="muted">For CI jobs and scripts: sent as <code>Authorization: Bearer …</code>. A token is shown once, when created.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ path: 'tokens', method: 'POST', body: { name, scopes } });
        }}
      >
        <input aria-label="Token name" placeholder="What it is for, e.g. GitHub Actions" value={name} onChange={(e) => setName(e.target.value)} required />
        {TOKEN_SCOPES.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} /> {s}
          </label>
        ))}
        <button className="button" type="submit" disabled={create.isPending}>Create token</button>
      </form>
      {create.error && <p className="banner error" role="alert">{create.error.message}</p>}
      {create.data && (
        <p className="banner" data-testid="new-token">
          New token, shown only now: <code>{create.data.token}</code> <CopyButton value={create.data.token} />
        </p>
      )}
      <table className="list">
        <thead><tr><th>Name</th><th>Token</th><th>Scopes</th><th>Last used</th><th /></tr></thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td><code>{t.prefix}…</code></td>
              <td>{t.scopes.join(', ')}</td>
              <td>{t.lastUsedAt ? t.lastUsedAt.toISOString().replace('T', ' ').slice(0, 16) : 'never'}</td>
              <td>{t.revokedAt ? 'revoked' : <button type="button" className="small" onClick={() => revoke.mutate({ path: `tokens/${t.id}`, method: 'DELETE' })}>Revoke</button>}</td>
            </tr>
          ))}
          {tokens.length === 0 && <tr><td colSpan={5} className="muted">No tokens yet.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
