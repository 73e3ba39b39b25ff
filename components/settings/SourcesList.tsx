'use client';

import Link from 'next/link';
import { RECENT_DAYS } from '@/lib/settings/sources.ts';
import { LoadError, RecentCounts, SkeletonRows, SourceStateBadge, When } from './SourcesStatus.tsx';
import { useSources } from './useSources.ts';

export function SourcesList({ org }: { org: string }) {
  const sources = useSources(org);
  const rows = sources.data?.sources ?? [];
  return (
    <section className="card" aria-labelledby="sources-list" aria-busy={sources.isPending}>
      <h2 id="sources-list">Sources</h2>
      <p className="muted">
        Everything Throughline receives is stored as a delivery, then processed. Open a source to get its URL and secret or token, setup steps,
        and its deliveries with their errors.
      </p>
      {sources.error && <LoadError what="the sources" error={sources.error} onRetry={() => void sources.refetch()} />}
      <table className="list">
        <thead>
          <tr><th>Source</th><th>State</th><th>Last delivery</th><th>Last {RECENT_DAYS} days</th></tr>
        </thead>
        <tbody>
          {sources.isPending && <SkeletonRows rows={6} columns={4} />}
          {rows.map((s) => (
            <tr key={s.id} data-testid={`source-${s.id}`}>
              <td>
                <Link href={`/${encodeURIComponent(org)}/settings/sources/${s.id}`}><strong>{s.label}</strong></Link>
                <div className="muted">{s.sends}</div>
              </td>
              <td><SourceStateBadge source={s} /></td>
              <td><When iso={s.lastReceivedAt} /></td>
              <td><RecentCounts recent={s.recent} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {sources.isPending && <p className="visually-hidden" role="status">Loading the sources…</p>}
    </section>
  );
}
