'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import type { SourceDefinition, SourceSummary } from '@/lib/settings/sources.ts';
import { tokenSourceSnippets } from '@/lib/settings/sources-snippets.ts';
import { CopyButton } from './CopyButton.tsx';
import { SourcesSnippet } from './SourcesSnippet.tsx';
import { sourcesKey } from './useSources.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

/** URL, an ingest token with the source's scope (made here, shown once) and snippets to paste. */
export function SourcesTokenSetup({ org, source, summary }: { org: string; source: SourceDefinition; summary: SourceSummary }) {
  const queryClient = useQueryClient();
  const create = useSettingsMutation<{ token: string }>(org);
  const scope = source.scope ?? 'ingest:write';
  const liveTokens = summary.credential?.kind === 'ingest_token' ? summary.credential.liveTokens : 0;
  const url = summary.url ?? '';
  return (
    <section className="card" aria-labelledby="setup">
      <h2 id="setup">Connect {source.label}</h2>
      <p className="muted">{source.howTo}</p>
      <dl className="setup-fields">
        <dt>URL</dt>
        <dd><code data-testid="source-url">{url}</code> <CopyButton value={url} label="Copy URL" /></dd>
        <dt>Token</dt>
        <dd>
          {create.data ? (
            <span role="status">
              <code data-testid="new-token">{create.data.token}</code> <CopyButton value={create.data.token} label="Copy token" />
              <span className="muted-inline"> Shown only now; the snippets below use it where it is safe to.</span>
            </span>
          ) : (
            <span>
              {liveTokens > 0
                ? `${liveTokens} live ingest ${liveTokens === 1 ? 'token has' : 'tokens have'} the ${scope} scope; any of them works. `
                : `Requests need an ingest token with the ${scope} scope, sent as "Authorization: Bearer …". `}
              <Link href={`/${encodeURIComponent(org)}/settings#tokens`}>Manage tokens</Link>
            </span>
          )}
        </dd>
      </dl>
      {!create.data && (
        <p>
          <button
            type="button"
            className="button secondary"
            disabled={create.isPending}
            onClick={() =>
              create.mutate(
                { path: 'tokens', method: 'POST', body: { name: source.label, scopes: [scope] } },
                { onSuccess: () => void queryClient.invalidateQueries({ queryKey: sourcesKey(org) }) },
              )
            }
          >
            Create a token for {source.label}
          </button>
        </p>
      )}
      {create.error && <p className="banner error" role="alert">{create.error.message}</p>}
      {tokenSourceSnippets(source, url, create.data?.token ?? null).map((s) => <SourcesSnippet key={s.title} snippet={s} />)}
    </section>
  );
}
