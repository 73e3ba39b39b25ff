import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { buildDemoRows, type DemoRows } from './build-rows.ts';
import { insertRows } from './insert-rows.ts';
import { mondayOf, WEEK } from './work-hours.ts';

// Creates the demo organization "Acme Robotics (demo)": half a year of plausible activity that
// tells the product's story. One transaction, so a half-seeded demo is never visible, and bulk
// inserts in raw SQL (insert-rows.ts), so it stays quick on the single-connection embedded database.

export interface SeedDemoOptions {
  seed: number;
  slug?: string;
  /** Monday 00:00 UTC of the last week to fill (another date means its week); default: this week. */
  endWeekStart?: Date;
  weeks?: number;
  /** Nothing happens after this instant (default: the end of the last week). Serve passes "now",
   * so a demo seeded mid-week holds no future events. Same seed, weeks and until: same data. */
  until?: Date;
  /** Delete an existing org with the slug and create it again. */
  reset?: boolean;
}

export interface SeedDemoResult {
  orgId: string;
  created: boolean;
  /** Rows inserted per table (empty when nothing was created). */
  counts: Record<string, number>;
}

/** Inserts parents before children. */
async function insertDemoRows(tx: Prisma.TransactionClient, rows: DemoRows): Promise<void> {
  await insertRows(tx, 'Team', rows.teams);
  await insertRows(tx, 'Person', rows.people);
  await insertRows(tx, 'Identity', rows.identities);
  await insertRows(tx, 'TeamMembership', rows.teamMemberships);
  await insertRows(tx, 'Repository', rows.repositories);
  await insertRows(tx, 'Ticket', rows.tickets);
  await insertRows(tx, 'PullRequest', rows.pullRequests);
  await insertRows(tx, 'Commit', rows.commits);
  await insertRows(tx, 'PullRequestCommit', rows.pullRequestCommits);
  await insertRows(tx, 'TicketPullRequestLink', rows.ticketLinks);
  await insertRows(tx, 'Review', rows.reviews);
  await insertRows(tx, 'ReviewComment', rows.reviewComments);
  await insertRows(tx, 'CiRun', rows.ciRuns);
  await insertRows(tx, 'TestResultSummary', rows.testResults);
  await insertRows(tx, 'AiUsageDaily', rows.aiUsage);
  await insertRows(tx, 'Annotation', rows.annotations);
}

export async function seedDemoOrg(db: Db, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const slug = options.slug ?? 'demo';
  const weeks = options.weeks ?? 26;
  if (!Number.isInteger(weeks) || weeks < 1) throw new Error(`weeks must be a positive integer, got ${weeks}`);
  const endWeekStart = mondayOf(options.endWeekStart ?? new Date());
  const start = new Date(endWeekStart.getTime() - (weeks - 1) * WEEK);
  return db.$transaction(
    async (tx) => {
      const existing = await tx.organization.findUnique({ where: { slug }, select: { id: true } });
      if (existing && !options.reset) return { orgId: existing.id, created: false, counts: {} };
      if (existing) await tx.organization.delete({ where: { id: existing.id } });
      const org = await tx.organization.create({
        data: { slug, name: 'Acme Robotics (demo)', isDemo: true, timeZone: 'UTC', cycleTimeStart: 'in_progress' },
      });
      const horizon = options.until ?? new Date(endWeekStart.getTime() + WEEK);
      const rows = buildDemoRows(org.id, { seed: options.seed, start, weeks, horizon });
      await insertDemoRows(tx, rows);
      const counts = Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
      return { orgId: org.id, created: true, counts };
    },
    // Generous: the embedded database is much slower than a server.
    { maxWait: 30_000, timeout: 300_000 },
  );
}
