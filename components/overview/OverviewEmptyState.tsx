import Link from 'next/link';
import type { SourceSummary } from '@/lib/settings/sources.ts';
import { CopyButton } from '../settings/CopyButton.tsx';
import styles from './Overview.module.css';

const STATE_TEXT: Record<SourceSummary['state'], string> = {
  not_connected: 'not connected yet: no signing secret',
  awaiting_first_delivery: 'secret set, waiting for the first delivery',
  receiving: 'receiving deliveries',
  idle: 'no delivery lately',
};

/**
 * What a new org sees instead of the overview: the next thing to connect, with this org's real
 * webhook URL and import command, and the state each source is in.
 */
export function OverviewEmptyState({
  org,
  isAdmin,
  sources,
  teamCount,
  weeks,
}: {
  org: string;
  isAdmin: boolean;
  /** The GitHub and GitLab webhook sources, with their URLs for this org. */
  sources: SourceSummary[];
  teamCount: number;
  weeks: number;
}) {
  const importCommand = `npx throughline import git ./repo --org ${org} --repo owner/name`;
  const anyConnected = sources.some((s) => s.state !== 'not_connected');
  return (
    <section className="card" aria-labelledby="start" data-testid="overview-empty">
      <h2 id="start">{anyConnected ? `No merged work in the last ${weeks} full weeks yet` : 'No data yet: connect a source'}</h2>
      <p className="muted">
        The overview compares each team&apos;s AI generation with its cycle time, throughput and CI results, week by week. It fills in as soon as pull
        requests or commits arrive.
      </p>
      <ol className={styles.steps}>
        <li>
          <div>
            <h3>Send pull requests, reviews and pushes with a webhook</h3>
            {sources.map((s) => (
              <div key={s.id}>
                <p>
                  <strong>{s.label}</strong> payload URL <span className="muted-inline">({STATE_TEXT[s.state]})</span>
                </p>
                <div className={styles.copyRow}>
                  <code data-testid={`webhook-url-${s.id}`}>{s.url}</code>
                  <CopyButton value={s.url ?? ''} label={`Copy ${s.label} URL`} />
                </div>
              </div>
            ))}
            <p>
              {isAdmin ? (
                <>
                  Its signing secret and the events to tick are in <Link href={`/${org}/settings/sources/github`}>Data sources → GitHub</Link> (or{' '}
                  <Link href={`/${org}/settings/sources/gitlab`}>GitLab</Link>).
                </>
              ) : (
                'Its signing secret is in Data sources, which an admin of this organization can open.'
              )}
            </p>
          </div>
        </li>
        <li>
          <div>
            <h3>Or load history from a clone, no token needed</h3>
            <div className={styles.copyRow}>
              <code data-testid="import-command">{importCommand}</code>
              <CopyButton value={importCommand} label="Copy command" />
            </div>
            <p className="muted">Run it where the clone is, with this server&apos;s database; it reads the default branch&apos;s commits, line counts and AI signals.</p>
          </div>
        </li>
        <li>
          <div>
            <h3>Group people into teams</h3>
            <p>
              {teamCount > 0
                ? `${teamCount} team${teamCount === 1 ? ' is' : 's are'} set up; each gets a row here once its people's work arrives.`
                : 'Until then, every change counts for the whole organization.'}{' '}
              {isAdmin && <Link href={`/${org}/settings/teams`}>Settings → Teams</Link>}
            </p>
          </div>
        </li>
      </ol>
    </section>
  );
}
