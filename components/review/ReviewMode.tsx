'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { parseAsBoolean, useQueryState } from 'nuqs';
import { useCallback, useEffect, useRef } from 'react';
import { REVIEW_FIGURES } from '@/lib/review/figures.ts';
import type { ReviewView, SnapshotChange } from '@/lib/review/review-schemas.ts';
import { ActionItems } from './ActionItems.tsx';
import { FigureGrid } from './FigureGrid.tsx';
import { formatInstant, formatValue, shortIso, weekRange } from './format.ts';
import { NotesEditor } from './NotesEditor.tsx';
import { ReviewSkeleton } from './ReviewSkeleton.tsx';
import { DistortionCheck, FailedFirstRuns, SlowestPrs, SlowestTickets } from './ReviewLists.tsx';
import styles from './Review.module.css';
import { useReview, useReviewMutations } from './useReview.ts';

interface Props {
  org: string;
  team: { slug: string; name: string };
  week: string;
  previousWeek: string;
  /** null while `week` is the current week. */
  nextWeek: string | null;
  timeZone: string;
}

function describeChange(c: SnapshotChange): string {
  const figure = REVIEW_FIGURES.find((f) => f.key === c.key);
  if (!figure) return `${c.label}: list changed`;
  return `${c.label}: ${formatValue(figure.format, c.before)} → ${formatValue(figure.format, c.after)}`;
}

/**
 * Review mode of a team-week for the weekly meeting: the frozen snapshot's figures with
 * week-over-week deltas, the slowest work, first-run CI failures, the distortion check, notes and
 * action items. ← / → (or [ / ]) go to the previous / next week, F toggles the presenter view.
 */
export function ReviewMode({ org, team, week, previousWeek, nextWeek, timeZone }: Props) {
  const router = useRouter();
  const [present, setPresent] = useQueryState('present', parseAsBoolean.withDefault(false));
  const review = useReview(org, team.slug, week);
  const mutations = useReviewMutations(org, team.slug, week);
  const enteredFullscreen = useRef(false);

  const hrefOf = useCallback((w: string) => `/${org}/teams/${team.slug}/review/${w}${present ? '?present=true' : ''}`, [org, team.slug, present]);

  const togglePresenter = useCallback(() => {
    if (present) {
      void setPresent(null);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
      return;
    }
    void setPresent(true);
    // Full screen needs a user gesture; without it (or where refused) the presenter view still applies.
    document.documentElement.requestFullscreen?.().then(() => (enteredFullscreen.current = true), () => {});
  }, [present, setPresent]);

  // Presenter view: larger type for the whole page (rem-based), no app chrome.
  useEffect(() => {
    const root = document.documentElement;
    root.classList.toggle(styles.presenterRoot!, present);
    return () => root.classList.remove(styles.presenterRoot!);
  }, [present]);

  // Esc leaves full screen: leave the presenter view with it.
  useEffect(() => {
    const onChange = () => {
      if (document.fullscreenElement) return;
      if (enteredFullscreen.current) void setPresent(null);
      enteredFullscreen.current = false;
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [setPresent]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.target instanceof Element && e.target.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (e.key === 'ArrowLeft' || e.key === '[') router.push(hrefOf(previousWeek));
      else if ((e.key === 'ArrowRight' || e.key === ']') && nextWeek) router.push(hrefOf(nextWeek));
      else if (e.key === 'f' || e.key === 'F') togglePresenter();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router, hrefOf, previousWeek, nextWeek, togglePresenter]);

  const data: ReviewView | undefined = review.data;
  const empty = data && [data.snapshot.current.prsMerged, data.snapshot.current.ticketsDone, data.snapshot.current.linesAdded, data.snapshot.current.commits].every((n) => n === 0);
  const sourcesHref = `/${org}/settings/sources`;

  return (
    <div className={styles.page} data-testid="review" data-presenting={present ? 'true' : 'false'}>
      <div className={styles.titleRow}>
        <div>
          <h1>{team.name} · weekly review</h1>
          <p className={styles.subtitle}>Week of {weekRange(week)}</p>
        </div>
        <nav className={styles.toolbar} aria-label="Review weeks and views">
          <Link href={hrefOf(previousWeek)} rel="prev" aria-keyshortcuts="ArrowLeft">← Previous week</Link>
          {nextWeek ? (
            <Link href={hrefOf(nextWeek)} rel="next" aria-keyshortcuts="ArrowRight">Next week →</Link>
          ) : (
            <span className={styles.disabled} aria-disabled="true" title="This week is still running">Next week →</span>
          )}
          <button type="button" className={styles.primary} onClick={togglePresenter} aria-pressed={present} aria-keyshortcuts="F">
            {present ? 'Exit presenter view' : 'Presenter view'}
          </button>
          <button type="button" onClick={() => window.print()}>Print</button>
          {!present && <Link href={`/${org}/teams/${team.slug}`}>Dashboard</Link>}
        </nav>
      </div>
      <p className={styles.keys}>
        Keys: <kbd>←</kbd> / <kbd>→</kbd> (or <kbd>[</kbd> / <kbd>]</kbd>) previous / next week · <kbd>F</kbd> presenter view (full screen; <kbd>Esc</kbd> leaves it) · print with the Print button for a handout.
      </p>

      {review.isPending && <ReviewSkeleton />}
      {review.error && (
        <section className="card" role="alert" data-testid="review-error">
          <h2>Could not load the review</h2>
          <p className={styles.errorMsg}>The review of the week of {shortIso(week)} did not load: {review.error.message}</p>
          <button type="button" className="button" onClick={() => void review.refetch()} disabled={review.isFetching}>
            {review.isFetching ? 'Retrying…' : 'Retry'}
          </button>
        </section>
      )}
      {data && (
        <>
          <p className={styles.meta} data-testid="snapshot-meta">
            <span>
              Figures frozen at <time dateTime={data.snapshotAt}>{formatInstant(data.snapshotAt, timeZone)}</time> ({timeZone}), when this review was first opened; compared with the week of {shortIso(data.previousWeek)}.
            </span>
            {data.inProgress && <span className="badge warn">Week in progress</span>}
          </p>
          {data.changes.length > 0 && (
            <div className={`banner ${styles.changed}`} role="status" data-testid="snapshot-changed">
              <div>
                <strong>Changed since {formatInstant(data.snapshotAt, timeZone)}</strong>: the live figures differ from this snapshot (data synced later).
                <ul>{data.changes.map((c) => <li key={`${c.key}-${c.week}`}>{describeChange(c)}</li>)}</ul>
              </div>
              <button type="button" className="small" onClick={() => mutations.refresh.mutate()} disabled={mutations.refresh.isPending}>
                {mutations.refresh.isPending ? 'Refreshing…' : 'Refresh snapshot'}
              </button>
            </div>
          )}
          {mutations.refresh.error && <p className="banner error" role="alert">Could not refresh the snapshot: {mutations.refresh.error.message}</p>}
          {empty && (
            <p className="banner" data-testid="review-empty">
              Nothing merged and no commits for {team.name} this week. If the team worked, check that its repositories are connected and assigned to it in{' '}
              <a href={sourcesHref}>Data sources</a>, and that people are members of the team.
            </p>
          )}

          <section className="card" aria-labelledby="figures">
            <div className="card-head">
              <h2 id="figures">This week against the previous one</h2>
              <p className="muted">Arrows: which way each figure moved; green is better, red worse (for times, down is better).</p>
            </div>
            <FigureGrid current={data.snapshot.current} previous={data.snapshot.previous} />
          </section>

          <DistortionCheck flags={data.snapshot.flags} week={week} />
          <SlowestTickets rows={data.snapshot.slowestTickets} sourcesHref={sourcesHref} />
          <SlowestPrs rows={data.snapshot.slowestPrs} />
          <FailedFirstRuns rows={data.snapshot.failedFirstRuns} week={data.snapshot.current} timeZone={timeZone} />

          <div className={styles.grid2}>
            <NotesEditor key={`${team.slug}/${week}`} org={org} team={team.slug} week={week} initial={data.notes} timeZone={timeZone} />
            <ActionItems items={data.actionItems} previous={data.previousActionItems} previousWeek={data.previousWeek} mutations={mutations} />
          </div>
        </>
      )}
    </div>
  );
}
