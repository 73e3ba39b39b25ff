'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { parseAsString, parseAsStringLiteral, useQueryStates } from 'nuqs';
import { useCallback, useEffect, useId, useRef, type MouseEvent, type SyntheticEvent } from 'react';
import { DRILLDOWN_METRIC_NAMES, type Drilldown, type DrilldownMetricName } from '@/lib/metrics/drilldown-schemas.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { useWeeklyMetrics } from '../metrics/useWeeklyMetrics.ts';
import { describeAggregate, figureFromRows, formatFigure, kindOfMetric, METRIC_LABELS } from './figure.ts';
import { DrilldownTable, DrilldownTableSkeleton, type SortOrder } from './DrilldownTable.tsx';
import styles from './Drilldown.module.css';

/** One weekly figure to open the rows of: which figure, which ISO week (its Monday), which team (the org when absent). */
export interface DrilldownTarget {
  metric: DrilldownMetricName;
  week: string;
  team?: string;
  label: string;
}

const ORDERS = ['asc', 'desc'] as const;
const drillParams = {
  drill: parseAsString,
  dweek: parseAsString,
  dteam: parseAsString,
  dlabel: parseAsString,
  dsort: parseAsString,
  dorder: parseAsStringLiteral(ORDERS),
};
const CLOSED = { drill: null, dweek: null, dteam: null, dlabel: null, dsort: null, dorder: null };

/**
 * The open drill-down, kept in the URL (?drill=<metric>&dweek=<YYYY-MM-DD>&dteam=<slug>&dlabel=…,
 * and the table's dsort/dorder) so a link reopens the same rows. Opening adds a history entry
 * (Back closes it); closing replaces it.
 */
export function useDrilldownTarget(): [DrilldownTarget | null, (t: DrilldownTarget | null) => void] {
  const [q, setQ] = useQueryStates(drillParams, { scroll: false });
  const metric = (DRILLDOWN_METRIC_NAMES as readonly string[]).includes(q.drill ?? '') ? (q.drill as DrilldownMetricName) : null;
  const week = q.dweek && /^\d{4}-\d{2}-\d{2}$/.test(q.dweek) ? q.dweek : null;
  const target: DrilldownTarget | null = metric && week ? { metric, week, team: q.dteam ?? undefined, label: q.dlabel ?? METRIC_LABELS[metric].name } : null;
  const set = useCallback(
    (t: DrilldownTarget | null) =>
      void (t
        ? setQ({ drill: t.metric, dweek: t.week, dteam: t.team ?? null, dlabel: t.label, dsort: null, dorder: null }, { history: 'push' })
        : setQ(CLOSED, { history: 'replace' })),
    [setQ],
  );
  return [target, set];
}

/** "Mar 2 – Mar 8, 2026" for a week's Monday. */
function weekRange(week: string): string {
  const start = new Date(`${week}T00:00:00Z`);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  const day = (d: Date) => d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return `${day(start)} – ${day(end)}, ${end.getUTCFullYear()}`;
}

function drilldownUrl(org: string, t: DrilldownTarget, sort: string | null, order: SortOrder | null, format?: 'csv'): string {
  const params = new URLSearchParams({ metric: t.metric, week: t.week });
  if (t.team) params.set('team', t.team);
  if (sort) params.set('sort', sort);
  if (order) params.set('order', order);
  if (format) params.set('format', format);
  return `/api/orgs/${encodeURIComponent(org)}/metrics/drilldown?${params}`;
}

/** The rows behind one weekly figure, in a modal dialog. Renders nothing when target is null. */
export function DrilldownDialog({ org, target, onClose }: { org: string; target: DrilldownTarget | null; onClose: () => void }) {
  if (!target) return null;
  return <OpenDrilldown key={`${target.metric}/${target.week}/${target.team ?? ''}`} org={org} target={target} onClose={onClose} />;
}

const EMPTY_HINT: Record<Drilldown['kind'], string> = {
  pull_requests:
    'No pull request merged this week counts towards it. If some are missing, check that their repository is connected and sends pull request events',
  tickets:
    'No ticket reached the merge of its last linked pull request this week. Tickets count once a merged pull request names them (a key like ABC-123 in its title or branch) and the tracker (Jira, Linear or GitHub Issues) is connected',
  commits: 'No commit landed on the default branch this week. Send push events with the GitHub or GitLab webhook, or import a clone’s history',
  ai_usage: 'No AI tool reported usage for these people this week. Connect the usage source of Claude Code, GitHub Copilot or Cursor',
  head_commits:
    'No pull request head commit had a finished first CI run this week. GitHub Actions runs arrive with the GitHub webhook; other CI systems post to the CI ingest API',
  engineers: 'Nobody committed, opened or merged a pull request, or reviewed this week. Connect a GitHub or GitLab repository',
  reviews: 'No human review was submitted this week. Reviews arrive with the GitHub or GitLab webhook',
  deployments:
    'No production deployment succeeded this week. Deployments (to an environment named prod or production) and releases arrive with the GitHub webhook',
  deployed_pull_requests: 'No merged pull request reached a production deployment this week. Deployments and releases arrive with the GitHub webhook',
  incidents: 'No incident was done this week. Incidents are tickets of type incident, from Jira or GitHub Issues',
};

function OpenDrilldown({ org, target, onClose }: { org: string; target: DrilldownTarget; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const [{ dsort, dorder }, setSort] = useQueryStates({ dsort: drillParams.dsort, dorder: drillParams.dorder }, { history: 'replace', scroll: false });
  const kind = kindOfMetric(target.metric);
  const sameTarget = (d: Drilldown | undefined) => d && d.metric === target.metric && d.week === target.week && (d.team ?? undefined) === target.team;

  const rows = useQuery({
    queryKey: ['metrics', 'drilldown', org, target.metric, target.week, target.team ?? null, dsort, dorder],
    queryFn: () => fetchJson<Drilldown>(drilldownUrl(org, target, dsort, dorder)),
    // A new sort keeps the rows on screen until the sorted ones arrive.
    placeholderData: (prev) => (sameTarget(prev) ? keepPreviousData(prev) : undefined),
  });
  const weekly = useWeeklyMetrics(org, { team: target.team, from: target.week, to: target.week });
  const weeklyFigure = weekly.data?.weeks.find((w) => w.weekStart === target.week) as Record<string, unknown> | undefined;
  const published = typeof weeklyFigure?.[target.metric] === 'number' ? (weeklyFigure[target.metric] as number) : weeklyFigure ? null : undefined;

  // Modal while open: the browser traps focus and makes the page behind inert; focus goes back to
  // whatever opened it when it closes.
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // Start at the title (read out with the dialog's name); Tab goes on to CSV, Close, the sort buttons.
    titleRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onCancel = (e: SyntheticEvent) => {
    e.preventDefault(); // Escape: close through the URL, like every other way out
    onClose();
  };
  // Only a click outside the dialog's box is on the backdrop: the dialog element is also the target
  // of a click on its own padding, or on a spot whose content was swapping (skeleton to rows).
  const onBackdrop = (e: MouseEvent<HTMLDialogElement>) => {
    if (e.target !== e.currentTarget) return;
    const box = e.currentTarget.getBoundingClientRect();
    if (e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom) onClose();
  };

  const data = rows.data;
  const recomputed = data && !data.truncated ? figureFromRows(data) : null;
  const matches = data && !data.truncated && published !== undefined ? (published === null ? recomputed === null : recomputed !== null && Math.abs(published - recomputed) < 1e-6) : null;
  const scope = target.team ? `Team ${target.team}` : 'Whole organization';

  return (
    <dialog ref={ref} className={styles.dialog} aria-labelledby={titleId} onCancel={onCancel} onClick={onBackdrop} data-testid="drilldown-dialog">
      <div className={styles.frame}>
        <header className={styles.head}>
          <div>
            <p className={styles.eyebrow}>
              {scope} · week of {weekRange(target.week)}
              {data ? ` (${data.timeZone})` : ''}
            </p>
            <h2 id={titleId} ref={titleRef} tabIndex={-1} className={styles.title}>{target.label}</h2>
            <p className={styles.metricName}>
              {METRIC_LABELS[target.metric].name} · <code>{target.metric}</code>
            </p>
          </div>
          <div className={styles.actions}>
            <a className={styles.linkButton} href={drilldownUrl(org, target, data?.sort ?? dsort, data?.order ?? dorder, 'csv')} download>
              Download CSV
            </a>
            <button type="button" className={styles.close} onClick={onClose} aria-label="Close">
              <span aria-hidden="true">×</span>
            </button>
          </div>
        </header>

        <dl className={styles.summary} aria-live="polite" aria-busy={rows.isPending}>
          <div>
            <dt>How the figure is made</dt>
            <dd data-testid="drilldown-aggregate">{data ? describeAggregate(data) : rows.isError ? '–' : <span className="skeleton" style={{ width: '16rem' }} />}</dd>
          </div>
          <div>
            <dt>Dashboard figure</dt>
            <dd data-testid="drilldown-published">
              {published === undefined ? (weekly.isError ? '–' : <span className="skeleton" style={{ width: '4rem' }} />) : formatFigure(target.metric, published)}
            </dd>
          </div>
          <div>
            <dt>Recomputed from these rows</dt>
            <dd data-testid="drilldown-recomputed">
              {!data ? (
                rows.isError ? '–' : <span className="skeleton" style={{ width: '4rem' }} />
              ) : data.truncated ? (
                <span className={styles.note}>not from the first {data.rows.length.toLocaleString('en-US')} rows alone</span>
              ) : (
                <>
                  {formatFigure(target.metric, recomputed)}{' '}
                  {matches === true && <span className="badge ok">matches</span>}
                  {matches === false && <span className="badge warn">differs: data changed since, reload</span>}
                </>
              )}
            </dd>
          </div>
        </dl>

        {data?.truncated && (
          <p className={`banner ${styles.truncated}`} role="status">
            Only the first {data.rows.length.toLocaleString('en-US')} rows are shown (more are behind this figure). Download the CSV or narrow the view
            to a team for the rest.
          </p>
        )}

        <div className={styles.body} role="region" aria-label="Rows behind the figure" tabIndex={0}>
          {rows.isPending && <DrilldownTableSkeleton kind={kind} metric={target.metric} team={target.team ?? null} />}
          {rows.isError && !data && (
            <div className={styles.state} role="alert">
              <p><strong>Could not load the rows behind this figure.</strong></p>
              <p className="muted">{rows.error.message}</p>
              <button type="button" className="button" onClick={() => void rows.refetch()} disabled={rows.isFetching}>
                {rows.isFetching ? 'Retrying…' : 'Retry'}
              </button>
            </div>
          )}
          {data && data.rows.length === 0 && (
            <div className={styles.state} data-testid="drilldown-empty">
              <p><strong>No rows behind this figure this week.</strong></p>
              <p className="muted">
                {EMPTY_HINT[data.kind]}: <a href={`/${encodeURIComponent(org)}/settings/sources`}>Settings → Sources</a>.
              </p>
            </div>
          )}
          {data && data.rows.length > 0 && (
            <>
              {rows.isError && (
                <p className="banner error" role="alert">
                  Could not sort the rows: {rows.error.message}{' '}
                  <button type="button" className="small" onClick={() => void rows.refetch()}>Retry</button>
                </p>
              )}
              <DrilldownTable data={data} busy={rows.isPlaceholderData} onSort={(sort, order) => void setSort({ dsort: sort, dorder: order })} />
            </>
          )}
        </div>
        <footer className={styles.foot}>
          <span className="muted-inline" data-testid="drilldown-count">
            {data ? `${data.rows.length.toLocaleString('en-US')} ${data.rows.length === 1 ? 'row' : 'rows'}${data.truncated ? ' shown' : ''}` : '\u00a0'}
          </span>
          <span className="muted-inline">Definitions: docs/metrics.md · Esc closes</span>
        </footer>
      </div>
    </dialog>
  );
}
