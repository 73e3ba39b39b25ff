import 'server-only';
import { AppError } from '../http/errors.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { getTeamBySlug } from '../orgs/teams.ts';
import { EMPTY_WEEK, ORG_SCOPE } from './compute-weeks.ts';
import { readWeekFigures } from './rollups.ts';
import { MAX_WEEKS, METRICS_VERSION, type WeeklyMetrics, type WeeklyQuery } from './schemas.ts';
import { addWeeks, localDate, parseIsoDate, weekStartsBetween } from './weeks.ts';

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

  const figures = await readWeekFigures(org, team?.id ?? ORG_SCOPE, weeks);
  return {
    org: org.slug,
    team: team?.slug ?? null,
    timeZone: org.timeZone,
    metricsVersion: METRICS_VERSION,
    weeks: weeks.map((weekStart) => ({ weekStart, ...(figures.get(weekStart) ?? EMPTY_WEEK) })),
  };
}
