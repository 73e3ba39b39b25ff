import { getAnnotation } from '../annotations/annotations.ts';
import { readDb } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { getTeamBySlug } from '../orgs/teams.ts';
import { bootstrapMedianDifference, median } from './bootstrap.ts';
import { ITEM_METRICS, itemValues, type ItemMetric } from './compare-items.ts';
import { MIN_COMPARE_SAMPLES, type CompareQuery, type CompareResult } from './compare-schemas.ts';
import { formatIsoDate, parseIsoDate } from './weeks.ts';

const DAY_MS = 86_400_000;
const DEFAULT_WEEKS = 8;

/**
 * Before/after an annotation (docs/metrics.md#before-and-after-an-annotation): per metric, the
 * items of the scope whose end event's local date is in the N weeks before the annotation's date
 * or in the N weeks from it, their medians, and a bootstrap interval of the difference.
 */
export async function compareAroundAnnotation({ org, query }: { org: Org; query: CompareQuery }): Promise<CompareResult> {
  const annotation = await getAnnotation({ orgId: org.id, id: query.annotation });
  const teamSlug = query.team ?? annotation.team;
  const team = teamSlug ? await getTeamBySlug({ orgId: org.id, slug: teamSlug }) : null;
  const weeks = query.weeks ?? DEFAULT_WEEKS;
  const pivot = parseIsoDate(annotation.date)!;
  const start = new Date(pivot.getTime() - weeks * 7 * DAY_MS);
  const end = new Date(pivot.getTime() + weeks * 7 * DAY_MS);
  // Instants a day wider than the local dates on each side; the local date decides.
  const items = itemValues({ orgId: org.id, cycleTimeStart: org.cycleTimeStart, from: new Date(start.getTime() - DAY_MS), to: new Date(end.getTime() + DAY_MS) });
  const localDay = Prisma.sql`(i.at AT TIME ZONE ${org.timeZone})::date`;
  const rows = await readDb((client) => client.$queryRaw<{ metric: ItemMetric; after: boolean; values: number[] }[]>`
    SELECT i.metric, ${localDay} >= ${pivot}::date AS after, array_agg(i.value ORDER BY i.value) AS values
    FROM ${items} i
    WHERE ${localDay} >= ${start}::date AND ${localDay} < ${end}::date
      AND ${team ? Prisma.sql`i.team_id = ${team.id}` : Prisma.sql`true`}
    GROUP BY 1, 2`);
  const sample = (metric: ItemMetric, after: boolean) => (rows.find((r) => r.metric === metric && r.after === after)?.values ?? []).map(Number);
  const day = (d: Date, offset = 0) => formatIsoDate(new Date(d.getTime() + offset * DAY_MS));
  return {
    org: org.slug,
    team: team?.slug ?? null,
    timeZone: org.timeZone,
    annotation: { id: annotation.id, team: annotation.team, date: annotation.date, label: annotation.label },
    weeks,
    before: { from: day(start), to: day(pivot, -1) },
    after: { from: day(pivot), to: day(end, -1) },
    metrics: ITEM_METRICS.map((metric) => {
      const before = sample(metric, false);
      const after = sample(metric, true);
      const enough = before.length >= MIN_COMPARE_SAMPLES && after.length >= MIN_COMPARE_SAMPLES;
      const [mb, ma] = [median(before), median(after)];
      return {
        metric,
        before: { n: before.length, median: mb },
        after: { n: after.length, median: ma },
        difference: enough ? ma! - mb! : null,
        ci95: enough ? bootstrapMedianDifference(before, after) : null,
      };
    }),
  };
}
