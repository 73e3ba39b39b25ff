import Link from 'next/link';
import type { WeeklyMetrics } from '@/lib/metrics/schemas.ts';
import { formatCount, formatHours, formatShare, shortWeek } from '../charts/format.ts';
import { PALETTE } from '../charts/palette.ts';
import styles from './Overview.module.css';
import { OverviewDataTables, type ScopeSeries } from './OverviewDataTables.tsx';
import { formatGrowth, groupFlags, KEY_METRICS, valueOf, weekOverWeek, type FlagGroup, type KeyMetric } from './overview-data.ts';
import { Sparkline } from './Sparkline.tsx';

export interface OverviewScope {
  /** Team slug; null for the whole org. */
  slug: string | null;
  name: string;
  metrics: WeeklyMetrics;
}

const teamHref = (org: string, team: string) => `/${org}/teams/${team}`;
const DAY_MS = 86_400_000;
const sunday = (weekStart: string) => new Date(new Date(`${weekStart}T00:00:00Z`).getTime() + 6 * DAY_MS).toISOString().slice(0, 10);

/** "Nov 16 – 22" or "Oct 27 – Nov 2" for the days from a week start to a last day. */
function dayRange(from: string, to: string): string {
  const [a, b] = [shortWeek(from), shortWeek(to)];
  return from.slice(0, 7) === to.slice(0, 7) ? `${a} – ${b.split(' ')[1]}` : `${a} – ${b}`;
}

/**
 * The org overview: a row per team with the last full week's key numbers, the change from the week
 * before and 12-week sparklines; the org's leverage; the distortion warnings. Every figure is the
 * weekly API's (`metrics` are its answers for the org and each team over the same range).
 */
export function OrgOverview({ org, orgScope, teams, threshold }: { org: { slug: string; timeZone: string }; orgScope: OverviewScope; teams: OverviewScope[]; threshold: number }) {
  const weeks = orgScope.metrics.weeks.map((w) => w.weekStart);
  const lastWeek = weeks.at(-1)!;
  const flagGroups = groupFlags(orgScope.metrics.flags, lastWeek, teams.map((t) => t.slug!));
  const names = new Map(teams.map((t) => [t.slug, t.name]));
  const series: ScopeSeries[] = [...teams, orgScope].map((s) => ({
    slug: s.slug,
    name: s.name,
    values: Object.fromEntries(KEY_METRICS.map((m) => [m.key, s.metrics.weeks.map((w) => valueOf(w, m.key))])) as ScopeSeries['values'],
  }));

  return (
    <>
      <div className={styles.rangeLine}>
        <p className="muted">
          Last full week: <time dateTime={lastWeek} data-testid="overview-week">{dayRange(lastWeek, sunday(lastWeek))}</time> ({org.timeZone}), with the change
          from the week before and the trend of the {weeks.length} weeks since {shortWeek(weeks[0]!)}.
        </p>
        <OverviewDataTables weeks={weeks} scopes={series} />
      </div>

      <Leverage leverage={orgScope.metrics.leverage} />

      <section className="card" aria-labelledby="teams-heading">
        <h2 id="teams-heading">Teams</h2>
        <div className={styles.tableWrap}>
          <table className={`list ${styles.overview}`} data-testid="overview-table">
            <caption className="visually-hidden">
              Key figures per team for the week of {dayRange(lastWeek, sunday(lastWeek))}, with the change from the week before and a {weeks.length}-week trend
            </caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                {KEY_METRICS.map((m) => (
                  <th key={m.key} scope="col">
                    {m.label}
                    <span className={styles.colNote}>{m.better === 'neutral' ? 'AI generation' : m.better === 'up' ? 'higher is better' : 'lower is better'}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <ScopeRow key={t.slug} scope={t} org={org.slug} flagged={flagGroups.find((g) => g.team === t.slug)} />
              ))}
              {teams.length === 0 && (
                <tr>
                  <td colSpan={KEY_METRICS.length + 1} className="muted">No teams yet: every change counts for the whole organization (below) until people are grouped into teams.</td>
                </tr>
              )}
            </tbody>
            <tfoot>
              <ScopeRow scope={orgScope} org={org.slug} flagged={flagGroups.find((g) => g.team === null)} />
            </tfoot>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="warnings-heading" data-testid="distortion-warnings">
        <h2 id="warnings-heading">Distortion warnings</h2>
        <p className="muted">
          A warning means AI generation grew by {formatGrowth(threshold)} or more over 4 weeks (against the 4 before) while cycle time, review time and
          first-run pass rate all failed to improve: the extra output may be inflating activity rather than delivered work.
        </p>
        {flagGroups.length === 0 ? (
          <p data-testid="no-warnings">No warnings in these {weeks.length} weeks: wherever AI generation grew that fast, delivery improved too.</p>
        ) : (
          <ul className={styles.flags}>
            {flagGroups.map((g) => (
              <FlagItem key={g.team ?? '(org)'} group={g} org={org.slug} name={g.team === null ? 'Whole organization' : (names.get(g.team) ?? g.team)} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ScopeRow({ scope, org, flagged }: { scope: OverviewScope; org: string; flagged?: FlagGroup }) {
  const weeks = scope.metrics.weeks;
  const [previous, last] = [weeks.at(-2), weeks.at(-1)];
  const anchor = `warning-${scope.slug ?? 'org'}`;
  return (
    <tr data-testid="overview-row" data-scope={scope.slug ?? ''}>
      <th scope="row" className={styles.teamCell}>
        {scope.slug ? (
          <Link href={teamHref(org, scope.slug)} className={styles.teamLink}>
            {scope.name}
          </Link>
        ) : (
          <span className={styles.teamLink}>{scope.name}</span>
        )}
        {flagged?.active && (
          <a href={`#${anchor}`} className={`badge warn ${styles.flagBadge}`}>
            Distortion warning
          </a>
        )}
      </th>
      {KEY_METRICS.map((m) => (
        <MetricCell key={m.key} metric={m} scopeName={scope.name} weeks={weeks.map((w) => ({ week: w.weekStart, value: valueOf(w, m.key) }))} previous={valueOf(previous, m.key)} last={valueOf(last, m.key)} />
      ))}
    </tr>
  );
}

function MetricCell({ metric, scopeName, weeks, previous, last }: { metric: KeyMetric; scopeName: string; weeks: { week: string; value: number | null }[]; previous: number | null; last: number | null }) {
  const delta = weekOverWeek(metric, previous, last);
  const first = weeks[0]!;
  const end = weeks.at(-1)!;
  const label = `${metric.label}, ${scopeName}, ${weeks.length} weeks: ${metric.format(first.value)} in the week of ${shortWeek(first.week)}, ${metric.format(end.value)} in the week of ${shortWeek(end.week)}`;
  const arrow = delta.direction === 'up' ? '▲' : delta.direction === 'down' ? '▼' : delta.direction === 'flat' ? '▶' : '';
  return (
    <td data-metric={metric.key}>
      <div className={styles.cell}>
        <span className={styles.value} data-testid="value" data-value={last ?? ''}>
          {metric.format(last)}
        </span>
        <span className={`${styles.delta} ${delta.verdict ? styles[delta.verdict] : ''}`} data-testid="delta" data-direction={delta.direction ?? ''}>
          <span aria-hidden="true">
            {arrow} {delta.text}
          </span>
          <span className="visually-hidden">{delta.description}</span>
        </span>
        <Sparkline values={weeks} label={label} color={metric.better === 'neutral' ? PALETTE.ai : PALETTE.mean} />
      </div>
    </td>
  );
}

function Leverage({ leverage }: { leverage: WeeklyMetrics['leverage'] }) {
  const { before, after, throughputBasis, generationGrowth, throughputGrowth } = leverage;
  const basis = throughputBasis === 'ticketsDone' ? 'tickets done per engineer-week' : 'PRs merged per engineer-week';
  const grew = (g: number | null) => (g === null ? 'cannot be compared' : g >= 1 ? `grew ${formatGrowth(g)}` : `fell to ${formatGrowth(g)}`);
  const perWeek = throughputBasis === 'ticketsDone' ? [before.ticketsDonePerEngineerWeek, after.ticketsDonePerEngineerWeek] : [before.prsMergedPerEngineerWeek, after.prsMergedPerEngineerWeek];
  return (
    <section className="card" aria-labelledby="leverage-heading" data-testid="leverage">
      <div className={styles.leverage}>
        <div>
          <h2 id="leverage-heading">Leverage: is AI generation turning into delivered work?</h2>
          <p className={styles.leverageSentence} data-testid="leverage-sentence">
            Over the last 4 full weeks against the 4 before, throughput ({basis}) {grew(throughputGrowth)} while AI generation (AI-attributed lines) {grew(generationGrowth)}.
          </p>
          <p className="muted">
            {dayRange(before.from, before.to)} against {dayRange(after.from, after.to)}: {formatCount(perWeek[0], 2)} → {formatCount(perWeek[1], 2)} {basis}; AI lines{' '}
            {formatCount(before.aiLinesAdded)} → {formatCount(after.aiLinesAdded)}. Leverage is throughput growth ÷ generation growth: 1 means delivery kept pace
            with generation, below 1 generation outran it.
          </p>
        </div>
        <dl className={styles.leverageFigure}>
          <dt>Leverage</dt>
          <dd data-testid="leverage-value" data-value={leverage.leverage ?? ''}>
            {leverage.leverage === null ? '–' : formatCount(leverage.leverage, 2)}
          </dd>
        </dl>
      </div>
    </section>
  );
}

function FlagItem({ group, org, name }: { group: FlagGroup; org: string; name: string }) {
  const f = group.latest;
  const basis = f.generationBasis === 'aiLinesAdded' ? 'AI-attributed lines' : 'AI tokens';
  const gen = f.generationBasis === 'aiLinesAdded' ? f.aiLinesAdded : f.tokens;
  const cycleName = f.cycleTimeFigure === 'prCycle' ? 'PR cycle time p50' : 'Ticket-to-merge p50';
  const change = (c: number | null) => (c === null ? '' : ` (${formatGrowth(c)})`);
  return (
    <li id={`warning-${group.team ?? 'org'}`} className={styles.flag} data-testid="flag" data-team={group.team ?? ''} data-week={f.weekStart}>
      <div className={styles.flagHead}>
        {group.team ? <Link href={teamHref(org, group.team)}>{name}</Link> : <strong>{name}</strong>}
        {group.active ? <span className="badge warn">Active in the last full week</span> : <span className="badge">Last flagged in the week of {shortWeek(f.weekStart)}</span>}
      </div>
      <p>
        {basis} grew <strong data-testid="flag-growth">{formatGrowth(f.generationGrowth)}</strong> ({formatCount(gen.before)} → {formatCount(gen.after)}) in the 4 weeks{' '}
        {dayRange(f.windowStart, sunday(f.weekStart))} against the 4 before, while delivery did not improve:
      </p>
      <ul className={styles.flagFigures}>
        {f.cycleTimeFigure && (
          <li>
            {cycleName}: {formatHours(f.cycleTimeP50Hours.before)} → {formatHours(f.cycleTimeP50Hours.after)}
            {change(f.cycleTimeChange)}
          </li>
        )}
        {f.reviewTimeP50Hours.before !== null && f.reviewTimeP50Hours.after !== null && (
          <li>
            Review time p50: {formatHours(f.reviewTimeP50Hours.before)} → {formatHours(f.reviewTimeP50Hours.after)}
            {change(f.reviewTimeChange)}
          </li>
        )}
        {f.firstRunPassRate.before !== null && f.firstRunPassRate.after !== null && (
          <li>
            First-run pass rate: {formatShare(f.firstRunPassRate.before)} → {formatShare(f.firstRunPassRate.after)}
          </li>
        )}
      </ul>
      <p className="muted">
        Flagged in {group.weeks.length} of the weeks shown: {group.weeks.map(shortWeek).join(', ')}.
      </p>
    </li>
  );
}
