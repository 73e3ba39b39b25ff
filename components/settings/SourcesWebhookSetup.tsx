'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SourceDefinition, SourceSummary } from '@/lib/settings/sources.ts';
import { CopyButton } from './CopyButton.tsx';
import { sourcesKey } from './useSources.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

/** URL and signing secret of a webhook source; a new secret is shown once, when made. */
export function SourcesWebhookSetup({ org, source, summary }: { org: string; source: SourceDefinition; summary: SourceSummary }) {
  const queryClient = useQueryClient();
  const rotate = useSettingsMutation<{ source: string; url: string; secret: string }>(org);
  const [confirming, setConfirming] = useState(false);
  const setAt = summary.credential?.kind === 'webhook_secret' ? summary.credential.setAt : null;
  const makeSecret = () => {
    setConfirming(false);
    rotate.mutate({ path: `webhook-secrets/${source.id}`, method: 'POST' }, { onSuccess: () => void queryClient.invalidateQueries({ queryKey: sourcesKey(org) }) });
  };
  return (
    <section className="card" aria-labelledby="setup">
      <h2 id="setup">Connect {source.label}</h2>
      <p className="muted">{source.howTo}</p>
      <dl className="setup-fields">
        <dt>URL</dt>
        <dd><code data-testid="source-url">{summary.url}</code> <CopyButton value={summary.url ?? ''} label="Copy URL" /></dd>
        <dt>Secret</dt>
        <dd>
          {rotate.data ? (
            <span role="status">
              <code data-testid="new-secret">{rotate.data.secret}</code> <CopyButton value={rotate.data.secret} label="Copy secret" />
              <span className="muted-inline"> Shown only now: paste it into {source.label} before leaving this page.</span>
            </span>
          ) : setAt ? (
            <span>Set on {setAt.slice(0, 10)}; hidden (a secret is shown only when it is made).</span>
          ) : (
            <span>None yet: generate one, then paste it with the URL.</span>
          )}
        </dd>
      </dl>
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm new secret">
          <span>The current secret stops working at once: {source.label}&apos;s deliveries fail until you paste the new one there.</span>
          <button type="button" className="button" onClick={makeSecret}>Rotate now</button>
          <button type="button" className="small" onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      ) : (
        <p>
          <button type="button" className="button secondary" disabled={rotate.isPending} onClick={() => (setAt ? setConfirming(true) : makeSecret())}>
            {setAt ? 'Rotate secret' : 'Generate secret'}
          </button>
        </p>
      )}
      {rotate.error && <p className="banner error" role="alert">{rotate.error.message}</p>}
    </section>
  );
}
