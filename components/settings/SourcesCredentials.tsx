'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { SourceCredentialSummary, SourceDefinition } from '@/lib/settings/sources.ts';
import { LoadError, SkeletonRows, When } from './SourcesStatus.tsx';
import { sourcesKey, useSourceCredentials } from './useSources.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

/** API tokens Throughline fetches the source with: stored encrypted, listed without their values. */
export function SourcesCredentials({ org, source }: { org: string; source: SourceDefinition }) {
  const queryClient = useQueryClient();
  const credentials = useSourceCredentials(org, source.id);
  const save = useSettingsMutation<{ credential: SourceCredentialSummary }>(org);
  const remove = useSettingsMutation(org);
  const [target, setTarget] = useState('');
  const [token, setToken] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const hintId = useId();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: sourcesKey(org) });
  const rows = credentials.data?.credentials ?? [];
  return (
    <section className="card" aria-labelledby="setup" aria-busy={credentials.isPending}>
      <h2 id="setup">Connect {source.label}</h2>
      <p className="muted">{source.howTo}</p>
      <form
        className="stacked-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          save.mutate(
            { path: 'source-credentials', method: 'POST', body: { source: source.id, target, token } },
            {
              onSuccess: (answer) => {
                setSaved(`Token stored for ${answer.credential.target}; the next scheduled fetch uses it.`);
                setToken('');
                setTarget('');
                refresh();
              },
            },
          );
        }}
      >
        <label>
          GitHub organization, or organization/team
          <input value={target} onChange={(e) => setTarget(e.target.value)} placeholder="acme or acme/platform" required autoComplete="off" />
        </label>
        <label>
          GitHub token
          <input type="password" value={token} onChange={(e) => setToken(e.target.value)} required autoComplete="off" aria-describedby={hintId} />
          <span id={hintId} className="muted-inline">Stored encrypted and never shown again. A new token for the same target replaces the old one.</span>
        </label>
        <p><button className="button" type="submit" disabled={save.isPending}>Store token</button></p>
      </form>
      {saved && <p className="banner" role="status">{saved}</p>}
      {save.error && <p className="banner error" role="alert">{save.error.message}</p>}
      {remove.error && <p className="banner error" role="alert">{remove.error.message}</p>}
      {credentials.error && <LoadError what="the stored tokens" error={credentials.error} onRetry={() => void credentials.refetch()} />}
      <table className="list">
        <caption className="visually-hidden">Stored tokens</caption>
        <thead><tr><th>Target</th><th>Stored</th><th>Last fetch</th><th>Last error</th><th /></tr></thead>
        <tbody>
          {credentials.isPending && <SkeletonRows rows={1} columns={5} />}
          {rows.map((c) => (
            <tr key={c.id}>
              <td><code>{c.target}</code></td>
              <td className="nowrap">{c.createdAt.slice(0, 10)}</td>
              <td><When iso={c.lastFetchAt} never="not yet" /></td>
              <td className="error-text">{c.lastError ?? <span className="muted-inline">none</span>}</td>
              <td>
                <button
                  type="button"
                  className="small"
                  disabled={remove.isPending}
                  aria-label={`Delete the token for ${c.target}`}
                  onClick={() => remove.mutate({ path: `source-credentials/${encodeURIComponent(c.id)}`, method: 'DELETE' }, { onSuccess: refresh })}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {credentials.data && rows.length === 0 && (
            <tr><td colSpan={5} className="muted">No token stored: fill in the organization and a token above, or import from the command line below.</td></tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
