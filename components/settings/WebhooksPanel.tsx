'use client';

import { CopyButton } from './CopyButton.tsx';
import { useSettingsMutation } from './useSettingsMutation.ts';

interface SourceRow {
  source: string;
  label: string;
  url: string;
  configuredAt: Date | null;
}

export function WebhooksPanel({ org, sources }: { org: string; sources: SourceRow[] }) {
  const rotate = useSettingsMutation<{ source: string; secret: string }>(org);
  return (
    <section className="card" aria-labelledby="webhooks">
      <h2 id="webhooks">Webhooks</h2>
      <p className="muted">Paste the URL and secret into each source&apos;s webhook settings. A secret is shown once, when generated; generating a new one stops the old one.</p>
      <table className="list">
        <thead><tr><th>Source</th><th>Payload URL</th><th>Secret</th><th /></tr></thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.source} data-testid={`webhook-${s.source}`}>
              <td>{s.label}</td>
              <td><code>{s.url}</code> <CopyButton value={s.url} /></td>
              <td>
                {rotate.data?.source === s.source ? (
                  <span data-testid={`secret-${s.source}`}><code>{rotate.data.secret}</code> <CopyButton value={rotate.data.secret} /></span>
                ) : s.configuredAt ? `set ${s.configuredAt.toISOString().slice(0, 10)}` : 'not set'}
              </td>
              <td>
                <button type="button" className="small" onClick={() => rotate.mutate({ path: `webhook-secrets/${s.source}`, method: 'POST' })}>
                  {s.configuredAt ? 'Rotate secret' : 'Generate secret'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rotate.error && <p className="banner error" role="alert">{rotate.error.message}</p>}
    </section>
  );
}
