import { readDb } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { getTeamBySlug } from '../orgs/teams.ts';
import { DRILLDOWN_METRICS, kindOf, rowSetOf, sortableFields, type DrilldownMetric } from './drilldown-metrics.ts';
import { DRILLDOWN_LIMIT, type Drilldown, type DrilldownQuery } from './drilldown-schemas.ts';
import { weeksRange } from './family.ts';
import { addWeeks, formatIsoDate, parseIsoDate } from './weeks.ts';

/** Which rows of the set a figure aggregates: for sums those adding something, for measures those with a value. */
function valueCondition(m: DrilldownMetric, fields: Record<string, string>): Prisma.Sql | null {
  if (m.value === undefined) return null;
  const sql = fields[m.value];
  if (sql === undefined) throw new Error(`drill-down: no field ${m.value}`);
  if (m.aggregate === 'sum') return Prisma.sql`${Prisma.raw(sql)} <> 0`;
  if (m.aggregate === 'p50' || m.aggregate === 'p85' || m.aggregate === 'mean' || m.aggregate === 'distinct' || m.aggregate === 'perDistinct') return Prisma.sql`${Prisma.raw(sql)} IS NOT NULL`;
  return null;
}

/** A SQL value as JSON: instants as ISO strings, numerics and bigints as numbers, evidence as its signals. */
function toJson(field: string, v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Prisma.Decimal.isDecimal(v)) return v.toNumber();
  if (field === 'aiEvidence') {
    return (Array.isArray(v) ? (v as Record<string, unknown>[]) : []).map((s) => ({
      kind: String(s.kind ?? ''), tool: String(s.tool ?? ''), strength: String(s.strength ?? ''), evidence: String(s.evidence ?? ''),
      commitSha: typeof s.commitSha === 'string' ? s.commitSha : null,
    }));
  }
  return v;
}

/**
 * The rows behind one weekly figure of a team (or the whole org): the same rows its family
 * aggregates (drilldown-metrics.ts), sorted, at most DRILLDOWN_LIMIT of them.
 */
export async function getDrilldown({ org, query }: { org: Org; query: DrilldownQuery }): Promise<Drilldown> {
  const team = query.team ? await getTeamBySlug({ orgId: org.id, slug: query.team }) : null;
  const metric: DrilldownMetric = DRILLDOWN_METRICS[query.metric];
  const set = rowSetOf(query.metric);
  const sortable = sortableFields(query.metric);
  // By default the rows come largest value first, unless the value is an id (distinct people, reviewers): then by the row's own order.
  const byValue = metric.value !== undefined && metric.aggregate !== 'distinct' && metric.aggregate !== 'perDistinct' ? metric.value : undefined;
  const sort = query.sort ?? byValue ?? set.defaultSort;
  if (!sortable.includes(sort)) throw new AppError('bad_request', `sort: must be one of ${sortable.join(', ')}`);
  const order = query.order ?? (query.sort === undefined && byValue !== undefined ? 'desc' : 'asc');

  // The same prefilter as the weekly figures (family.ts weeksRange): only rows the week can hold are read.
  // Trailing figures take the rows of the week and the ones before it.
  const weeks = Array.from({ length: metric.weeks ?? 1 }, (_, i) => formatIsoDate(addWeeks(parseIsoDate(query.week)!, -i)));
  const w = { orgId: org.id, timeZone: org.timeZone, cycleTimeStart: org.cycleTimeStart, countWeakAiSignals: org.countWeakAiSignals, ...weeksRange(weeks) };
  const conditions = [
    Prisma.sql`rows.week BETWEEN ${weeks.at(-1)}::date AND ${query.week}::date`,
    team ? Prisma.sql`rows.team_id = ${team.id}` : null,
    metric.where ?? null,
    valueCondition(metric, set.fields),
  ].filter((c): c is Prisma.Sql => c !== null);
  const fields = Object.entries(set.fields);
  // Field names and their SQL come from drilldown-metrics.ts, and sort is one of them: safe as raw SQL.
  // A dashboard read: the replica when one is set and current enough (lib/db/read-replica.ts).
  const rows = await readDb((client) => client.$queryRaw<Record<string, unknown>[]>`
    SELECT ${Prisma.raw(fields.map(([name, sql]) => `${sql} AS "${name}"`).join(', '))}
    FROM (${set.rows(w)}) rows
    LEFT JOIN "Team" t ON t."orgId" = ${org.id} AND t.id = rows.team_id
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ${Prisma.raw(`"${sort}" ${order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`)}, rows.id
    LIMIT ${DRILLDOWN_LIMIT + 1}`);

  return {
    org: org.slug,
    team: team?.slug ?? null,
    week: query.week,
    timeZone: org.timeZone,
    metric: query.metric,
    kind: kindOf(query.metric),
    aggregate: metric.aggregate,
    value: metric.value ?? null,
    sort,
    order,
    truncated: rows.length > DRILLDOWN_LIMIT,
    rows: rows.slice(0, DRILLDOWN_LIMIT).map((r) => Object.fromEntries(fields.map(([name]) => [name, toJson(name, r[name])]))) as Drilldown['rows'],
  };
}

/** One line per row (lists joined by ` | `, evidence as `tool: evidence`), for spreadsheets. */
export function drilldownCsv(d: Drilldown): string {
  const rows = d.rows as Record<string, unknown>[];
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const item = (s: unknown) => (typeof s === 'string' ? s : `${(s as { tool: string }).tool}: ${(s as { evidence: string }).evidence}`);
  const text = (v: unknown) => (Array.isArray(v) ? v.map(item).join(' | ') : v === null || v === undefined ? '' : String(v));
  const cell = (v: unknown) => (/[",\n]/.test(text(v)) ? `"${text(v).replaceAll('"', '""')}"` : text(v));
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
