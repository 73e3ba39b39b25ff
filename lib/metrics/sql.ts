import { Prisma } from '../db/generated/client.ts';

// Shared SQL fragments of the metric definitions in docs/metrics.md.

/**
 * Team of a change: the team `person` belonged to at instant `at` (dated membership,
 * validFrom ≤ at < validTo; the latest validFrom wins if memberships overlap), else the
 * repository's default team. Null when neither exists.
 */
export function teamOfChange(orgId: string, person: Prisma.Sql, at: Prisma.Sql, repoDefaultTeam: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`COALESCE(
    (SELECT tm."teamId" FROM "TeamMembership" tm
      WHERE tm."orgId" = ${orgId} AND tm."personId" = ${person}
        AND tm."validFrom" <= ${at} AND (tm."validTo" IS NULL OR tm."validTo" > ${at})
      ORDER BY tm."validFrom" DESC, tm."teamId" LIMIT 1),
    ${repoDefaultTeam})`;
}

/** Week start (a date) of `instant` in the org's time zone: ISO weeks start on Monday. */
export function weekOf(instant: Prisma.Sql, timeZone: string): Prisma.Sql {
  return Prisma.sql`(date_trunc('week', ${instant} AT TIME ZONE ${timeZone}))::date`;
}

/**
 * An AI pull request (docs/metrics.md#ai-pull-requests): its evidence (`aiEvidence`, its own
 * signals and its commits') holds a strong signal, or a weak one when the org counts weak evidence;
 * the same rule as isAiWritten in lib/attribution/detect.ts. `pr` is the pull request's alias.
 */
export function isAiPullRequest(pr: Prisma.Sql, countWeak: boolean): Prisma.Sql {
  return countWeak
    ? Prisma.sql`jsonb_path_exists(${pr}."aiEvidence", '$[*] ? (@.strength == "strong" || @.strength == "weak")')`
    : Prisma.sql`jsonb_path_exists(${pr}."aiEvidence", '$[*] ? (@.strength == "strong")')`;
}
