import { AppError } from '../http/errors.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { getTeamBySlug, listTeams } from '../orgs/teams.ts';
import { EMPTY_WEEK, ORG_SCOPE, type WeekFigures } from './compute-weeks.ts';
import { distortionFlags, distortionSpan } from './distortion.ts';
import { leverageOf, trailingPeriods } from './leverage.ts';
import { readWeekFigures } from './rollups.ts';
import { MAX_WEEKS, METRICS_VERSION, type WeeklyMetrics, type WeeklyQuery } from './schemas.ts';
import { addWeeks, formatIsoDate, localDate, parseIsoDate, weekStartsBetween } from './weeks.ts';

/** Weekly metrics of a team (or the whole org) for every week of the range, gaps included. */
export async function getWeeklyMetrics({ org, query, now = new Date() }: { org: Org; query: WeeklyQuery; now?: Date }): Promise<WeeklyMetrics> {
  const team = query.team ? await getTeamBySlug({ orgId: org.id, slug: query.team }) : null;
  const to = query.to ? parseIsoDate(query.to) : localDate(now, org.timeZone);
  const from = query.from ? parseIsoDate(query.from) : to && addWeeks(to, -11);
  if (!to) throw new AppError('bad_request', 'to: not a valid calendar date');
  if (!from) throw new AppError('bad_request', 'from: not a valid calendar date');
  if (from > to) throw new AppError('bad_request', 'from must not be after to');
  const weeks = weekStartsBetween(from, to);
  if (weeks.length > MAX_WEEKS) throw new AppError('bad_request', `range spans ${weeks.length} weeks; at most ${MAX_WEEKS}`);

  const scope = team?.id ?? ORG_SCOPE;
  // One read of the scope's rollups serves the weeks, the leverage periods (the 8 weeks ending with
  // the last) and the scope's distortion windows (from 7 weeks before the first).
  const figures = await readWeekFigures(org, scope, distortionSpan(weeks));
  const periods = trailingPeriods(weeks.at(-1)!);
  // Distortion: the team's flags, or the org's and every team's (docs/metrics.md#distortion-warning).
  const flagScopes = team ? [{ scope: team.id, slug: team.slug }] : [{ scope: ORG_SCOPE, slug: null }, ...(await listTeams({ orgId: org.id })).map((t) => ({ scope: t.id, slug: t.slug }))];
  const flags = await distortionFlags({ org, scopes: flagScopes, weeks, read: new Map([[scope, figures]]) });
  return {
    org: org.slug,
    team: team?.slug ?? null,
    from: formatIsoDate(from),
    to: formatIsoDate(to),
    timeZone: org.timeZone,
    definitionsVersion: METRICS_VERSION,
    // Figures in one fixed order (stored rollups come back with jsonb's key order), so the same
    // numbers always give the same bytes.
    weeks: weeks.map((weekStart) => {
      const week = figures.get(weekStart) ?? EMPTY_WEEK;
      return { weekStart, ...(Object.fromEntries(Object.keys(EMPTY_WEEK).map((k) => [k, week[k as keyof WeekFigures]])) as WeekFigures) };
    }),
    leverage: leverageOf(figures, periods.before, periods.after),
    flags,
  };
}

/** One row per week, one column per figure (nested figures as `name.part`), for spreadsheets. */
export function weeklyMetricsCsv(metrics: WeeklyMetrics): string {
  // The answer's flags and leverage too, so the CSV says all the JSON says: each week lists the
  // scopes flagged in it ('org' for the whole org); leverage, a figure of the range's last 4 weeks
  // against the 4 before, sits on the row of the range's last week and is empty on the others.
  const last = metrics.weeks.at(-1)?.weekStart;
  // The periods' sums are in the week rows already.
  const { before: _before, after: _after, ...leverage } = metrics.leverage;
  const flat: Record<string, unknown>[] = metrics.weeks.map((w) => ({
    ...flatten(w),
    distortionFlags: metrics.flags.filter((f) => f.weekStart === w.weekStart).map((f) => f.team ?? 'org').join(' '),
    ...Object.fromEntries(Object.entries(leverage).map(([k, v]) => [`leverage.${k}`, w.weekStart === last ? v : null])),
  }));
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  return [columns.join(','), ...flat.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\n') + '\n';
}

function flatten(value: object, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).flatMap(([k, v]) => (v !== null && typeof v === 'object' ? Object.entries(flatten(v as object, `${prefix}${k}.`)) : [[`${prefix}${k}`, v]])),
  );
}
