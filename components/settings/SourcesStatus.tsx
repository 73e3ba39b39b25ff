'use client';

import { useState } from 'react';
import { DELIVERY_STATUSES, RECENT_DAYS, type SourceSummary } from '@/lib/settings/sources.ts';

// Small pieces the sources list and a source's page share: its state, counts, times, loading and errors.

const NOT_CONNECTED: Record<SourceSummary['kind'], string> = {
  webhook: 'Not connected: no secret yet',
  token: 'Not connected: no ingest token yet',
  credential: 'Not connected: no token stored',
  cli: 'Not imported yet',
};

const AWAITING: Record<SourceSummary['kind'], string> = {
  webhook: 'Secret set, nothing received yet',
  token: 'Token ready, nothing received yet',
  credential: 'Token stored, nothing fetched yet',
  cli: 'Nothing imported yet',
};

export function stateLabel(source: SourceSummary): string {
  switch (source.state) {
    case 'receiving':
      return 'Receiving';
    case 'idle':
      return `Nothing in the last ${RECENT_DAYS} days`;
    case 'awaiting_first_delivery':
      return AWAITING[source.kind];
    case 'not_connected':
      return NOT_CONNECTED[source.kind];
  }
}

const BADGE_TONE: Record<SourceSummary['state'], string> = { receiving: 'ok', idle: 'warn', awaiting_first_delivery: 'warn', not_connected: 'off' };

export function SourceStateBadge({ source }: { source: SourceSummary }) {
  return (
    <span className="source-state">
      <span className={`badge ${BADGE_TONE[source.state]}`}>{stateLabel(source)}</span>
      {source.recent.failed > 0 && <span className="badge error">{source.recent.failed} failed</span>}
    </span>
  );
}

/** "12 processed · 1 failed", zeros left out; "none" when nothing came. */
export function RecentCounts({ recent }: { recent: SourceSummary['recent'] }) {
  const parts = DELIVERY_STATUSES.filter((s) => recent[s] > 0).map((s) => `${recent[s]} ${s}`);
  return <span className={parts.length ? undefined : 'muted-inline'}>{parts.length ? parts.join(' · ') : 'none'}</span>;
}

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** A time as UTC, with how long ago; "never" when absent. */
export function When({ iso, never = 'never' }: { iso: string | null; never?: string }) {
  // Read once per mount: "5 min ago" need not tick, and rendering stays pure.
  const [now] = useState(() => Date.now());
  if (!iso) return <span className="muted-inline">{never}</span>;
  const utc = `${iso.replace('T', ' ').slice(0, 16)} UTC`;
  return (
    <time dateTime={iso} title={utc}>
      {utc} <span className="muted-inline">({ago(now - Date.parse(iso))})</span>
    </time>
  );
}

export function LoadError({ what, error, onRetry }: { what: string; error: Error; onRetry: () => void }) {
  return (
    <div className="banner error" role="alert">
      Could not load {what}: {error.message}{' '}
      <button type="button" className="small" onClick={onRetry}>Try again</button>
    </div>
  );
}

/** Grey bars standing in for table rows while they load. */
export function SkeletonRows({ rows, columns }: { rows: number; columns: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} aria-hidden="true">
          {Array.from({ length: columns }, (_, c) => <td key={c}><span className="skeleton" /></td>)}
        </tr>
      ))}
    </>
  );
}
