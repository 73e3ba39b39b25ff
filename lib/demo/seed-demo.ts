import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { buildDemoRows, type DemoRows } from './build-rows.ts';
import { mondayOf, WEEK } from './work-hours.ts';

// Creates the demo organization "Acme Robotics (demo)": half a year of plausible activity that
// tells the product's story. One transaction, so a half-seeded demo is never visible, and bulk
// inserts only, so it stays quick on the single-connection embedded database.

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

const CHUNK = 1000;

async function insertInChunks<T>(rows: readonly T[], insert: (data: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Inserts parents before children. */
async function insertRows(tx: Prisma.TransactionClient, rows: DemoRows): Promise<void> {
  await insertInChunks(rows.teams, (data) => tx.team.createMany({ data }));
  await insertInChunks(rows.people, (data) => tx.person.createMany({ data }));
  await insertInChunks(rows.identities, (data) => tx.identity.createMany({ data }));
  await insertInChunks(rows.teamMemberships, (data) => tx.teamMembership.createMany({ data }));
  await insertInChunks(rows.repositories, (data) => tx.repository.createMany({ data }));
  await insertInChunks(rows.tickets, (data) => tx.ticket.createMany({ data }));
  await insertInChunks(rows.pullRequests, (data) => tx.pullRequest.createMany({ data }));
  await insertInChunks(rows.commits, (data) => tx.commit.createMany({ data }));
  await insertInChunks(rows.pullRequestCommits, (data) => tx.pullRequestCommit.createMany({ data }));
  await insertInChunks(rows.ticketLinks, (data) => tx.ticketPullRequestLink.createMany({ data }));
  await insertInChunks(rows.reviews, (data) => tx.review.createMany({ data }));
  await insertInChunks(rows.reviewComments, (data) => tx.reviewComment.createMany({ data }));
  await insertInChunks(rows.ciRuns, (data) => tx.ciRun.createMany({ data }));
  await insertInChunks(rows.testResults, (data) => tx.testResultSummary.createMany({ data }));
  await insertInChunks(rows.aiUsage, (data) => tx.aiUsageDaily.createMany({ data }));
  await insertInChunks(rows.annotations, (data) => tx.annotation.createMany({ data }));
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
      await insertRows(tx, rows);
      const counts = Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
      return { orgId: org.id, created: true, counts };
    },
    // Generous: the embedded database is much slower than a server.
    { maxWait: 30_000, timeout: 300_000 },
  );
}
