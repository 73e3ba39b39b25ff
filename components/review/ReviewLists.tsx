import type { FailedFirstRun } from '@/lib/review/review-schemas.ts';
import type { PullRequestRow, TicketRow } from '@/lib/review/rows.ts';
import type { WeekMetrics } from '@/lib/metrics/schemas.ts';
import type { ReviewSnapshot } from '@/lib/review/review-schemas.ts';
import { formatHours } from '../charts/format.ts';
import { formatInstant, shortIso } from './format.ts';
import styles from './Review.module.css';

const MaybeLink = ({ href, children }: { href: string | null; children: React.ReactNode }) => (href ? <a href={href} target="_blank" rel="noreferrer">{children}</a> : <>{children}</>);
const Kind = ({ ai }: { ai: boolean }) => <span className="badge">{ai ? 'AI' : 'Human'}</span>;

export function SlowestTickets({ rows, sourcesHref }: { rows: TicketRow[]; sourcesHref: string }) {
  return (
    <section className="card" aria-labelledby="slowest-tickets">
      <h2 id="slowest-tickets">Slowest tickets</h2>
      <p className="muted">Top {rows.length || 5} by ticket-to-merge time among the tickets whose last PR merged this week.</p>
      <div className={styles.tableWrap}>
        <table className="list" data-testid="slowest-tickets">
          <thead><tr><th scope="col">Ticket</th><th scope="col" className={styles.num}>Cycle</th><th scope="col" className={styles.num}>Waiting</th><th scope="col" className={styles.num}>Coding</th><th scope="col" className={styles.num}>Pickup</th><th scope="col" className={styles.num}>Review</th><th scope="col" className={styles.num}>Merge</th></tr></thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id}>
                <td className={styles.title}><MaybeLink href={t.url}><strong>{t.key}</strong></MaybeLink> {t.title}</td>
                <td className={styles.num}><strong>{formatHours(t.cycleHours)}</strong></td>
                <td className={styles.num}>{formatHours(t.waitingHours)}</td>
                <td className={styles.num}>{formatHours(t.codingHours)}</td>
                <td className={styles.num}>{formatHours(t.pickupHours)}</td>
                <td className={styles.num}>{formatHours(t.reviewHours)}</td>
                <td className={styles.num}>{formatHours(t.mergeHours)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr><td colSpan={7} className={styles.emptyRow}>No ticket reached merge this week. Tickets come from Jira or Linear, linked to pull requests by key: <a href={sourcesHref}>connect them in Data sources</a>.</td></tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function SlowestPrs({ rows }: { rows: PullRequestRow[] }) {
  return (
    <section className="card" aria-labelledby="slowest-prs">
      <h2 id="slowest-prs">Slowest PRs</h2>
      <p className="muted">Top {rows.length || 5} by PR cycle time (first commit → merge) among the PRs merged this week.</p>
      <div className={styles.tableWrap}>
        <table className="list" data-testid="slowest-prs">
          <thead><tr><th scope="col">Pull request</th><th scope="col">Author</th><th scope="col" className={styles.num}>Cycle</th><th scope="col" className={styles.num}>Coding</th><th scope="col" className={styles.num}>Pickup</th><th scope="col" className={styles.num}>Review</th><th scope="col" className={styles.num}>Merge</th></tr></thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id}>
                <td className={styles.title}><MaybeLink href={p.url}><strong>{p.repository.split('/').pop()}#{p.number}</strong></MaybeLink> {p.title} <Kind ai={p.isAi} /></td>
                <td>{p.author ?? '–'}</td>
                <td className={styles.num}><strong>{formatHours(p.cycleHours)}</strong></td>
                <td className={styles.num}>{formatHours(p.codingHours)}</td>
                <td className={styles.num}>{formatHours(p.pickupHours)}</td>
                <td className={styles.num}>{formatHours(p.reviewHours)}</td>
                <td className={styles.num}>{formatHours(p.mergeHours)}</td>
              </tr>
            ))}
            {rows.length === 0 && <tr><td colSpan={7} className={styles.emptyRow}>No pull request of this team merged this week.</td></tr>}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function FailedFirstRuns({ rows, week, timeZone }: { rows: FailedFirstRun[]; week: WeekMetrics; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="failed-first-runs">
      <h2 id="failed-first-runs">PRs that failed CI on the first run</h2>
      <p className="muted">
        Head commits whose first CI attempt of some workflow failed or timed out, first run this week: {rows.length} of {week.firstRunHeads} (
        {week.firstRunHeadsAi} of AI PRs, {week.firstRunHeadsHuman} of human PRs).
      </p>
      <div className={styles.tableWrap}>
        <table className="list" data-testid="failed-first-runs">
          <thead><tr><th scope="col">Pull request</th><th scope="col">Author</th><th scope="col">Failed workflows</th><th scope="col">Commit</th><th scope="col">First run</th></tr></thead>
          <tbody>
            {rows.map((f) => (
              <tr key={`${f.repository}@${f.sha}`}>
                <td className={styles.title}><MaybeLink href={f.url}><strong>{f.repository.split('/').pop()}#{f.number}</strong></MaybeLink> {f.title} <Kind ai={f.isAi} /></td>
                <td>{f.author ?? '–'}</td>
                <td>{f.failedWorkflows.join(', ')}</td>
                <td className={styles.sha}><MaybeLink href={f.runUrl}>{f.sha.slice(0, 7)}</MaybeLink></td>
                <td className="nowrap">{formatInstant(f.firstRunAt, timeZone)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr><td colSpan={5} className={styles.emptyRow}>
                {week.firstRunHeads === 0
                  ? 'No CI ran on this team’s pull requests this week. Send CI results (GitHub Actions webhooks or the CI ingest API) to see first-run failures.'
                  : 'Every head commit passed its first CI run this week.'}
              </td></tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function DistortionCheck({ flags, week }: { flags: ReviewSnapshot['flags']; week: string }) {
  return (
    <section className="card" aria-labelledby="distortion">
      <h2 id="distortion">Distortion check</h2>
      {flags.length === 0 ? (
        <div className={styles.distortion} data-testid="distortion" data-flagged="false">
          <span className="badge ok">Clear</span>
          <p>AI generation did not grow past the threshold without delivery improving, over the 4 weeks to {shortIso(week)}.</p>
        </div>
      ) : (
        flags.map((f) => (
          <div key={f.message} className={styles.distortion} data-testid="distortion" data-flagged="true">
            <span className="badge warn">Warning</span>
            <p>{f.message}</p>
          </div>
        ))
      )}
    </section>
  );
}
