import { Prisma } from '../db/generated/client.ts';
import { dayInRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { teamOfChange } from './sql.ts';

export type AiUsageFigures = {
  tokens: number;
  tokensIn: number;
  tokensOut: number;
  tokensCacheRead: number;
  tokensCacheWrite: number;
  costUsd: number;
  aiLinesSuggested: number;
  aiLinesAccepted: number;
  activeAiUsers: number;
};

type Row = ScopedSqlRow & {
  tokens_in: Prisma.Decimal; tokens_out: Prisma.Decimal; cache_read: Prisma.Decimal; cache_write: Prisma.Decimal;
  cost: Prisma.Decimal; suggested: bigint; accepted: bigint; users: bigint;
};

// Any figure above zero: tools such as Cursor report a row for every seat, idle days included.
const USED = Prisma.sql`GREATEST(u."tokensIn", u."tokensOut", u."tokensCacheRead", u."tokensCacheWrite", u."costUsd",
  u."linesSuggested", u."linesAccepted", u."linesAdded", u."linesRemoved", u.suggestions, u.acceptances, u.requests,
  u.commits, u."pullRequests", u.sessions, u."activeSeconds") > 0`;

/**
 * AI tool usage (docs/metrics.md#ai-tool-usage) from AiUsageDaily, per person per day per tool:
 * a usage day is a calendar date (UTC, as vendors report it) and belongs to the ISO week holding
 * that date, whatever the org's time zone. Team: the person's membership at noon UTC of the day
 * (no repository, so no default team). Rows without a person, and rows of bots, count org-wide
 * only; active AI users are the distinct non-bot people with any figure above zero.
 * Copilot's org/team totals (AiToolDailyTotal) are not part of these figures.
 */
export const aiUsage: MetricFamily<AiUsageFigures> = {
  empty: { tokens: 0, tokensIn: 0, tokensOut: 0, tokensCacheRead: 0, tokensCacheWrite: 0, costUsd: 0, aiLinesSuggested: 0, aiLinesAccepted: 0, activeAiUsers: 0 },
  async compute(w) {
    const noonUtc = Prisma.sql`((u.day::timestamp + interval '12 hours') AT TIME ZONE 'UTC')`;
    const rows = await w.db.$queryRaw<Row[]>`
      SELECT ${SCOPE_COLUMNS},
             sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out, sum(cache_read) AS cache_read, sum(cache_write) AS cache_write,
             sum(cost) AS cost, sum(suggested) AS suggested, sum(accepted) AS accepted,
             count(DISTINCT person_id) FILTER (WHERE used) AS users
      FROM (
        SELECT date_trunc('week', u.day::timestamp)::date AS week,
               u."tokensIn" AS tokens_in, u."tokensOut" AS tokens_out, u."tokensCacheRead" AS cache_read, u."tokensCacheWrite" AS cache_write,
               u."costUsd" AS cost, u."linesSuggested" AS suggested, u."linesAccepted" AS accepted, ${USED} AS used,
               person.id AS person_id,
               ${teamOfChange(w.orgId, Prisma.sql`person.id`, noonUtc, Prisma.sql`NULL::uuid`)} AS team_id
        FROM "AiUsageDaily" u
        LEFT JOIN "Person" person ON person."orgId" = u."orgId" AND person.id = u."personId" AND NOT person."isBot"
        WHERE u."orgId" = ${w.orgId} AND ${dayInRange(Prisma.sql`u.day`, rangeOf(w))}
      ) usage
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => {
      const [tokensIn, tokensOut, tokensCacheRead, tokensCacheWrite] = [r.tokens_in, r.tokens_out, r.cache_read, r.cache_write].map((v) => num(v) ?? 0) as [number, number, number, number];
      return {
        tokens: tokensIn + tokensOut + tokensCacheRead + tokensCacheWrite,
        tokensIn, tokensOut, tokensCacheRead, tokensCacheWrite,
        costUsd: num(r.cost) ?? 0,
        aiLinesSuggested: Number(r.suggested),
        aiLinesAccepted: Number(r.accepted),
        activeAiUsers: Number(r.users),
      };
    });
  },
};
