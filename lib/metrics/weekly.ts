import 'server-only';
import { AppError } from '../http/errors.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { getTeamBySlug } from '../orgs/teams.ts';
import { sumLinesAddedByWeek } from './lines-added.ts';
import { countPrsMergedByWeek } from './prs-merged.ts';
import { MAX_WEEKS, METRICS_VERSION, type WeeklyMetrics, type WeeklyQuery } from './schemas.ts';
import { getTicketToMergeByWeek } from './ticket-to-merge.ts';
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

  const window = { orgId: org.id, teamId: team?.id, timeZone: org.timeZone, fromWeek: weeks[0]!, toWeek: weeks.at(-1)! };
  const [prs, lines, cycles] = await Promise.all([
    countPrsMergedByWeek(window),
    sumLinesAddedByWeek(window),
    getTicketToMergeByWeek({ ...window, cycleTimeStart: org.cycleTimeStart }),
  ]);
  return {
    org: org.slug,
    team: team?.slug ?? null,
    timeZone: org.timeZone,
    metricsVersion: METRICS_VERSION,
    weeks: weeks.map((weekStart) => ({
      weekStart,
      prsMerged: prs.get(weekStart) ?? 0,
      linesAdded: lines.get(weekStart)?.linesAdded ?? 0,
      aiLinesAdded: lines.get(weekStart)?.aiLinesAdded ?? 0,
      ticketsMerged: cycles.get(weekStart)?.tickets ?? 0,
      ticketToMergeP50Hours: cycles.get(weekStart)?.p50Hours ?? null,
    })),
  };
}
