'use client';

import { getSourceDefinition, RECENT_DAYS, type SourceId } from '@/lib/settings/sources.ts';
import { cliImportSnippet } from '@/lib/settings/sources-snippets.ts';
import { SourcesCredentials } from './SourcesCredentials.tsx';
import { SourcesDeliveries } from './SourcesDeliveries.tsx';
import { SourcesSnippet } from './SourcesSnippet.tsx';
import { LoadError, RecentCounts, SourceStateBadge, When } from './SourcesStatus.tsx';
import { SourcesTokenSetup } from './SourcesTokenSetup.tsx';
import { SourcesWebhookSetup } from './SourcesWebhookSetup.tsx';
import { useSources } from './useSources.ts';

/** One source: its state, how to connect it, and its deliveries. */
export function SourcesDetail({ org, sourceId }: { org: string; sourceId: SourceId }) {
  const source = getSourceDefinition(sourceId);
  const sources = useSources(org);
  const summary = sources.data?.sources.find((s) => s.id === sourceId);
  const cli = cliImportSnippet(source, org);
  return (
    <>
      <section className="card" aria-labelledby="state" aria-busy={sources.isPending}>
        <h2 id="state">State</h2>
        {sources.error && <LoadError what="the source's state" error={sources.error} onRetry={() => void sources.refetch()} />}
        <dl className="stats source-stats">
          <div><dt>State</dt><dd>{summary ? <SourceStateBadge source={summary} /> : <span className="skeleton" />}</dd></div>
          <div><dt>Last delivery</dt><dd>{summary ? <When iso={summary.lastReceivedAt} /> : <span className="skeleton" />}</dd></div>
          <div><dt>Last {RECENT_DAYS} days</dt><dd>{summary ? <RecentCounts recent={summary.recent} /> : <span className="skeleton" />}</dd></div>
        </dl>
      </section>
      {!summary && (source.kind === 'webhook' || source.kind === 'token') && (
        <section className="card" aria-label={`Connect ${source.label}`} aria-busy="true">
          <span className="skeleton wide" />
          <span className="skeleton wide" />
        </section>
      )}
      {summary && source.kind === 'webhook' && <SourcesWebhookSetup org={org} source={source} summary={summary} />}
      {summary && source.kind === 'token' && <SourcesTokenSetup org={org} source={source} summary={summary} />}
      {source.kind === 'credential' && <SourcesCredentials org={org} source={source} />}
      {cli && (
        <section className="card" aria-labelledby="import">
          <h2 id="import">{source.kind === 'cli' ? `Import ${source.label}` : 'Or import from the command line'}</h2>
          {source.kind === 'cli' && <p className="muted">{source.howTo}</p>}
          <SourcesSnippet snippet={cli} />
        </section>
      )}
      <SourcesDeliveries org={org} source={source} summary={summary} />
    </>
  );
}
