'use client';

import dynamic from 'next/dynamic';
import Link from 'next/link';
import { parseAsNumberLiteral, parseAsString, parseAsStringLiteral, useQueryState, useQueryStates } from 'nuqs';
import { useCallback, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { formatCount, shortWeek } from '@/components/charts/format.ts';
import type { DrilldownTarget } from '@/components/drilldown/DrilldownDialog.tsx';
import { useWeeklyMetrics } from '@/components/metrics/useWeeklyMetrics.ts';
import type { WeekMetrics } from '@/lib/metrics/schemas.ts';
import { ChartCard, type ChartState } from './ChartCard.tsx';
import { DEFAULT_WEEKS, RANGE_WEEKS, orgToday, resolveRange } from './range.ts';
import { RangePicker } from './RangePicker.tsx';
import { GEN_MODES, GEN_MODE_LABELS, SECONDARY_CHARTS, chartRows, headlineChart, isEmptyChart, type ChartDef, type SeriesDef } from './series.ts';
import { annotationsByWeek, useAnnotations, type Annotation } from './useAnnotations.ts';
import styles from './TeamDashboard.module.css';

// recharts is most of the page's JavaScript: it loads after the page, while the data is fetched
// (the download starts on mount), so the first paint and first-load JS do not wait for it.
const loadWeeklyChart = () => import('./WeeklyChart.tsx').then((m) => m.WeeklyChart);
const WeeklyChart = dynamic(loadWeeklyChart, { ssr: false, loading: () => <div className={`skeleton ${styles.chartSkeleton}`} aria-hidden="true" /> });

// The drill-down dialog (and the schemas it validates its URL with) loads the same way.
const DrilldownHost = dynamic(() => import('./DrilldownHost.tsx'), { ssr: false });

const HEADLINE_HEIGHT = 360;
const SECONDARY_HEIGHT = 260;

const rangeParams = {
  weeks: parseAsNumberLiteral(RANGE_WEEKS).withDefault(DEFAULT_WEEKS),
  from: parseAsString,
  to: parseAsString,
};

/** Merged work of any kind in the range: without it, the page says what to connect instead of drawing empty charts. */
function hasMergedWork(weeks: WeekMetrics[]): boolean {
  return weeks.some((w) => w.prsMerged > 0 || w.linesAdded > 0 || w.ticketsMerged > 0);
}

export function TeamDashboard({
  org, team, timeZone, isAdmin,
}: {
  org: string;
  team: { slug: string; name: string };
  timeZone: string;
  isAdmin: boolean;
}) {
  const [q, setQ] = useQueryStates(rangeParams, { history: 'push', scroll: false });
  const [mode, setMode] = useQueryState('gen', parseAsStringLiteral(GEN_MODES).withDefault('lines').withOptions({ history: 'replace', scroll: false }));
  const openDrilldown = useRef<((t: DrilldownTarget) => void) | null>(null);
  const onDrilldownReady = useCallback((open: (t: DrilldownTarget) => void) => void (openDrilldown.current = open), []);
  useEffect(() => void loadWeeklyChart(), []);
  const range = useMemo(() => resolveRange(q, orgToday(timeZone)), [q, timeZone]);
  const weekly = useWeeklyMetrics(org, { team: team.slug, from: range.from, to: range.to });
  const notes = useAnnotations(org, team.slug, range.firstWeek, range.lastDay);
  const byWeek = useMemo(() => annotationsByWeek(notes.data), [notes.data]);
  const headline = useMemo(() => headlineChart(mode), [mode]);

  const weeks = weekly.data?.weeks;
  const empty = weeks !== undefined && !hasMergedWork(weeks);
  const sources = `/${org}/settings/sources`;

  const drill = (s: SeriesDef, week: string) => {
    if (!s.drilldown) return;
    openDrilldown.current?.({ metric: s.drilldown.metric, week, team: team.slug, label: s.drilldown.label });
  };

  const stateOf = (def: ChartDef, rows: ReturnType<typeof chartRows>): ChartState => {
    if (weekly.isPending) return { status: 'loading' };
    if (weekly.error) return { status: 'error', message: weekly.error.message, onRetry: () => void weekly.refetch() };
    if (empty) return { status: 'empty', message: <EmptyRange team={team.name} range={range.description} sources={sources} isAdmin={isAdmin} /> };
    if (isEmptyChart(def, rows)) return { status: 'empty', message: <p>{def.empty}{isAdmin && <> <Link href={sources}>Open Data sources</Link></>}</p> };
    return { status: 'ready' };
  };

  const card = (def: ChartDef, height: number, extra: { controls?: ReactNode; footer?: ReactNode; fileSuffix?: string; labelLength?: number } = {}) => {
    const rows = chartRows(def, weeks ?? []);
    const columns = def.series.map((s) => ({ key: s.key, label: s.label, kind: s.kind, drillable: Boolean(s.drilldown) }));
    return (
      <ChartCard
        key={def.id} id={def.id} title={def.title} description={def.description} controls={extra.controls} footer={extra.footer}
        height={height} state={stateOf(def, rows)} columns={columns} rows={rows} annotations={byWeek}
        fileBase={`${org}-${team.slug}-${def.id}${extra.fileSuffix ?? ''}-${range.from}-${range.to}`}
        onDrill={(key, week) => drill(def.series.find((s) => s.key === key)!, week)}
      >
        <WeeklyChart def={def} rows={rows} annotations={byWeek} height={height} onDrill={drill} labelLength={extra.labelLength} />
      </ChartCard>
    );
  };

  const totals = weeks?.reduce(
    (t, w) => ({ prs: t.prs + w.prsMerged, lines: t.lines + w.linesAdded, ai: t.ai + w.aiLinesAdded, tickets: t.tickets + w.ticketsMerged }),
    { prs: 0, lines: 0, ai: 0, tickets: 0 },
  );
  const showDetails = !weekly.error && !empty;

  return (
    <>
      <RangePicker
        key={`${range.from}:${range.to}:${range.custom}`}
        weeks={q.weeks}
        range={range}
        onPreset={(w) => void setQ({ weeks: w, from: null, to: null })}
        onCustom={(from, to) => void setQ({ from, to })}
      />
      {notes.error && (
        <p className="banner error" role="alert">
          Annotations could not be loaded ({notes.error.message}); the charts show none.{' '}
          <button type="button" className="small" onClick={() => void notes.refetch()}>Retry</button>
        </p>
      )}
      {showDetails && (
        <dl className={`stats ${styles.stats}`} aria-busy={weekly.isPending}>
          <Stat label="PRs merged" testId="stat-prs" value={totals && formatCount(totals.prs)} />
          <Stat label="Tickets merged" value={totals && formatCount(totals.tickets)} />
          <Stat label="Lines added" value={totals && formatCount(totals.lines)} />
          <Stat label="AI-attributed lines" value={totals && (totals.lines ? `${Math.round((100 * totals.ai) / totals.lines)}%` : '–')} />
        </dl>
      )}
      {card(headline, HEADLINE_HEIGHT, {
        fileSuffix: `-${mode}`,
        labelLength: 40,
        controls: (
          <div role="group" aria-label="Generation measure" className={styles.segmented}>
            {GEN_MODES.map((m) => (
              <button key={m} type="button" aria-pressed={m === mode} className={m === mode ? styles.active : undefined} onClick={() => void setMode(m)}>
                {GEN_MODE_LABELS[m]}
              </button>
            ))}
          </div>
        ),
        footer: <AnnotationList annotations={notes.data ?? []} />,
      })}
      {showDetails && <div className={styles.grid}>{SECONDARY_CHARTS.map((def) => card(def, SECONDARY_HEIGHT))}</div>}
      <DrilldownHost org={org} onReady={onDrilldownReady} />
    </>
  );
}

function Stat({ label, value, testId }: { label: string; value: string | undefined; testId?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {value ?? (
          <>
            <span className={`skeleton ${styles.statSkeleton}`} aria-hidden="true" />
            <span className="visually-hidden">Loading</span>
          </>
        )}
      </dd>
    </div>
  );
}

function EmptyRange({ team, range, sources, isAdmin }: { team: string; range: string; sources: string; isAdmin: boolean }) {
  return (
    <>
      <p><strong>No merged work for {team} in {range}.</strong></p>
      <p>
        Charts fill in once pull requests merge: connect the team&rsquo;s GitHub or GitLab repositories, then Jira or Linear for
        ticket-to-merge time and your AI tools&rsquo; usage for tokens.
      </p>
      {isAdmin ? (
        <Link className="button" href={sources}>Connect data sources</Link>
      ) : (
        <p className="muted">An admin of the organization connects them in Settings → Data sources.</p>
      )}
    </>
  );
}

function AnnotationList({ annotations }: { annotations: Annotation[] }) {
  if (annotations.length === 0) return null;
  return (
    <div className={styles.annotations}>
      <h3>Annotations</h3>
      <ul>
        {annotations.map((a) => (
          <li key={a.id}>
            <time dateTime={a.date}>{shortWeek(a.date)}</time> {a.label}
            <span className="muted-inline"> · {a.team ? 'this team' : 'whole organization'}</span>
            {a.description && <span className="muted-inline"> — {a.description}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
