'use client';

import Link from 'next/link';
import { formatDay } from './format-day.ts';
import styles from './TeamMembersPanel.module.css';
import { useMembershipHistory } from './useMembershipHistory.ts';

/** One person's memberships in every team, latest first, with a Retry on failure. */
export function MembershipHistory({ org, personId, personName }: { org: string; personId: string; personName: string }) {
  const history = useMembershipHistory(org, personId);
  const headingId = `history-${personId}`;
  return (
    <div role="region" aria-labelledby={headingId}>
      <h3 id={headingId} className="visually-hidden">Team history of {personName}</h3>
      {history.isPending && (
        <ul aria-busy="true" aria-label="Loading team history">
          <li><span className="skeleton wide" /></li>
        </ul>
      )}
      {history.error && (
        <p className="banner error" role="alert">
          Could not load the team history: {history.error.message}{' '}
          <button type="button" className="small" onClick={() => void history.refetch()}>Retry</button>
        </p>
      )}
      {history.data && (
        <ol className={styles.history}>
          {history.data.memberships.map((m) => (
            <li key={m.id}>
              <Link href={`/${encodeURIComponent(org)}/settings/teams/${m.teamSlug}`}>{m.teamName}</Link>{' '}
              <span className="muted-inline">
                {formatDay(m.from)} – {m.to ? formatDay(m.to) : 'now'}
              </span>
              {m.current && <span className="badge ok">current</span>}
            </li>
          ))}
          {history.data.memberships.length === 0 && <li className="muted-inline">No team memberships: their work counts for each repository&apos;s default team.</li>}
        </ol>
      )}
    </div>
  );
}
