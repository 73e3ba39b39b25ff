import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';
import { getDrilldown } from '../metrics/drilldown.ts';
import type { PullRequestRow, TicketRow } from './rows.ts';
import { getWeeklyMetrics } from '../metrics/weekly.ts';
import { addWeeks, formatIsoDate, parseIsoDate, weekStartOf } from '../metrics/weeks.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { getTeamBySlug } from '../orgs/teams.ts';
import { failedFirstRuns } from './failed-first-runs.ts';
import { REVIEW_FIGURES } from './figures.ts';
import {
  SLOWEST_LIMIT, SNAPSHOT_VERSION,
  type ActionItemView, type CreateActionItem, type ReviewSnapshot, type ReviewView, type SnapshotChange,
} from './review-schemas.ts';

// Weekly review mode: a team-week frozen as a snapshot the first time its review is opened, so the
// numbers do not move during or after the meeting; notes and action items per team-week. Later
// views compare the live figures with the snapshot and list what a re-sync changed.

type Team = Awaited<ReturnType<typeof getTeamBySlug>>;

/** The week (a Monday) checked against the org's calendar: not after the current week. */
function checkWeek(org: Org, week: string, now: Date): { start: Date; current: string } {
  const start = parseIsoDate(week);
  if (!start || start.getUTCDay() !== 1) throw new AppError('bad_request', 'week: must be a Monday, the start of an ISO week');
  const current = weekStartOf(now, org.timeZone);
  if (week > current) throw new AppError('bad_request', `week: ${week} has not started yet (the current week starts ${current})`);
  return { start, current };
}

/** The team-week's figures as they stand now (what a snapshot freezes). */
export async function liveSnapshot({ org, team, week }: { org: Org; team: Team; week: string }): Promise<ReviewSnapshot> {
  const previousWeek = formatIsoDate(addWeeks(parseIsoDate(week)!, -1));
  const drilldown = (metric: 'ticketToMergeP50Hours' | 'prCycleP50Hours') =>
    getDrilldown({ org, query: { metric, team: team.slug, week, sort: 'cycleHours', order: 'desc' } });
  const [metrics, tickets, prs, failed] = await Promise.all([
    getWeeklyMetrics({ org, query: { team: team.slug, from: previousWeek, to: week } }),
    drilldown('ticketToMergeP50Hours'),
    drilldown('prCycleP50Hours'),
    failedFirstRuns({ org, teamId: team.id, week }),
  ]);
  const [previous, current] = metrics.weeks;
  return {
    version: SNAPSHOT_VERSION,
    week,
    previousWeek,
    current: current!,
    previous: previous!,
    slowestTickets: (tickets.rows as TicketRow[]).slice(0, SLOWEST_LIMIT),
    slowestPrs: (prs.rows as PullRequestRow[]).slice(0, SLOWEST_LIMIT),
    failedFirstRuns: failed,
    flags: metrics.flags.filter((f) => f.weekStart === week && f.team === team.slug),
  };
}

const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-9);
const listKey = {
  slowestTickets: (s: ReviewSnapshot) => s.slowestTickets.map((t) => `${t.id}:${t.cycleHours}`).join(','),
  slowestPrs: (s: ReviewSnapshot) => s.slowestPrs.map((p) => `${p.id}:${p.cycleHours}`).join(','),
  failedFirstRuns: (s: ReviewSnapshot) => s.failedFirstRuns.map((f) => `${f.repository}@${f.sha}:${f.failedWorkflows.join('+')}`).join(','),
  flags: (s: ReviewSnapshot) => s.flags.map((f) => f.message).join('\n'),
};
const LIST_LABELS: Record<keyof typeof listKey, string> = {
  slowestTickets: 'Slowest tickets', slowestPrs: 'Slowest PRs', failedFirstRuns: 'PRs that failed CI on the first run', flags: 'Distortion check',
};

/** The figures and lists of `after` that differ from `before`, in the page's order. */
export function snapshotChanges(before: ReviewSnapshot, after: ReviewSnapshot): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  for (const week of ['current', 'previous'] as const) {
    for (const f of REVIEW_FIGURES) {
      const [a, b] = [before[week][f.key], after[week][f.key]];
      if (!same(a, b)) changes.push({ key: f.key, label: week === 'current' ? f.label : `${f.label} (previous week)`, week, before: a, after: b });
    }
  }
  for (const key of Object.keys(listKey) as (keyof typeof listKey)[]) {
    if (listKey[key](before) !== listKey[key](after)) {
      changes.push({ key, label: LIST_LABELS[key], week: null, before: before[key].length, after: after[key].length });
    }
  }
  return changes;
}

type ItemRow = { id: string; weekStart: Date; text: string; doneAt: Date | null; createdById: string | null; createdAt: Date };
const itemView = (i: ItemRow): ActionItemView => ({
  id: i.id, week: formatIsoDate(i.weekStart), text: i.text, done: i.doneAt !== null, doneAt: i.doneAt?.toISOString() ?? null, createdById: i.createdById, createdAt: i.createdAt.toISOString(),
});

/** Creates the team-week's review with a snapshot of the live figures, unless it exists (the first opening wins a race). */
async function ensureReview(org: Org, team: Team, week: string, start: Date, now: Date) {
  const where = { orgId_teamId_weekStart: { orgId: org.id, teamId: team.id, weekStart: start } };
  const existing = await db().weeklyReview.findUnique({ where });
  if (existing && (existing.snapshot as { version?: number } | null)?.version === SNAPSHOT_VERSION) return { review: existing, live: null };
  const live = await liveSnapshot({ org, team, week });
  if (existing) {
    // A snapshot of an older shape: taken again, as if first opened now.
    return { review: await db().weeklyReview.update({ where, data: { snapshot: live as unknown as Prisma.InputJsonValue, snapshotAt: now } }), live };
  }
  await db().weeklyReview.createMany({ data: [{ orgId: org.id, teamId: team.id, weekStart: start, snapshot: live as unknown as Prisma.InputJsonValue, snapshotAt: now }], skipDuplicates: true });
  return { review: await db().weeklyReview.findUniqueOrThrow({ where }), live };
}

/**
 * Opens a team-week's review: the snapshot (taken now on the first opening), what changed in the
 * live figures since, the notes, the week's action items and the previous week's still to tick off.
 */
export async function openReview({ org, teamSlug, week, now = new Date() }: { org: Org; teamSlug: string; week: string; now?: Date }): Promise<ReviewView> {
  const team = await getTeamBySlug({ orgId: org.id, slug: teamSlug });
  const { start, current } = checkWeek(org, week, now);
  const { review, live } = await ensureReview(org, team, week, start, now);
  const snapshot = review.snapshot as unknown as ReviewSnapshot;
  const changes = snapshotChanges(snapshot, live ?? (await liveSnapshot({ org, team, week })));
  const previousStart = addWeeks(start, -1);
  const items = await db().actionItem.findMany({
    where: {
      orgId: org.id, teamId: team.id,
      OR: [
        { weekStart: start },
        // The previous week's items open when this week began (or ticked off since), so they stay listed while the meeting ticks them.
        { weekStart: previousStart, OR: [{ doneAt: null }, { doneAt: { gte: start } }] },
      ],
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return {
    org: org.slug,
    team: team.slug,
    week,
    previousWeek: formatIsoDate(previousStart),
    nextWeek: week < current ? formatIsoDate(addWeeks(start, 1)) : null,
    inProgress: week === current,
    timeZone: org.timeZone,
    snapshotAt: review.snapshotAt.toISOString(),
    snapshot,
    changes,
    notes: review.notes,
    notesUpdatedAt: review.updatedAt.toISOString(),
    actionItems: items.filter((i) => i.weekStart.getTime() === start.getTime()).map(itemView),
    previousActionItems: items.filter((i) => i.weekStart.getTime() === previousStart.getTime()).map(itemView),
  };
}

/** Takes the snapshot again from the live figures (after a re-sync changed them); any member may. */
export async function refreshSnapshot({ org, teamSlug, week, actorUserId, now = new Date() }: { org: Org; teamSlug: string; week: string; actorUserId: string | null; now?: Date }): Promise<ReviewView> {
  const team = await getTeamBySlug({ orgId: org.id, slug: teamSlug });
  const { start } = checkWeek(org, week, now);
  const { live } = await ensureReview(org, team, week, start, now);
  if (!live) {
    const snapshot = await liveSnapshot({ org, team, week });
    await db().weeklyReview.update({
      where: { orgId_teamId_weekStart: { orgId: org.id, teamId: team.id, weekStart: start } },
      data: { snapshot: snapshot as unknown as Prisma.InputJsonValue, snapshotAt: now },
    });
  }
  await recordAudit({ orgId: org.id, actorUserId, action: 'review.snapshot_refresh', target: `review:${team.slug}/${week}`, detail: { team: team.slug, week } });
  return openReview({ org, teamSlug, week, now });
}

/** Saves the team-week's notes (the last writer wins). Autosaved as people type, so not audited. */
export async function saveNotes({ org, teamSlug, week, notes, now = new Date() }: { org: Org; teamSlug: string; week: string; notes: string; now?: Date }): Promise<{ notes: string; updatedAt: string }> {
  const team = await getTeamBySlug({ orgId: org.id, slug: teamSlug });
  const { start } = checkWeek(org, week, now);
  await ensureReview(org, team, week, start, now);
  const saved = await db().weeklyReview.update({ where: { orgId_teamId_weekStart: { orgId: org.id, teamId: team.id, weekStart: start } }, data: { notes } });
  return { notes: saved.notes, updatedAt: saved.updatedAt.toISOString() };
}

export async function createActionItem({ org, teamSlug, week, input, actorUserId, now = new Date() }: { org: Org; teamSlug: string; week: string; input: CreateActionItem; actorUserId: string | null; now?: Date }): Promise<ActionItemView> {
  const team = await getTeamBySlug({ orgId: org.id, slug: teamSlug });
  const { start } = checkWeek(org, week, now);
  const item = await db().actionItem.create({ data: { orgId: org.id, teamId: team.id, weekStart: start, text: input.text, createdById: actorUserId } });
  await recordAudit({ orgId: org.id, actorUserId, action: 'action_item.create', target: `action_item:${item.id}`, detail: { team: team.slug, week, text: input.text } });
  return itemView(item);
}

/** The team's action item; another team's or org's (or a malformed id) looks missing. */
async function getItem(orgId: string, teamId: string, id: string) {
  const item = await db().actionItem.findFirst({ where: { orgId, teamId, id } });
  if (!item) throw new AppError('not_found', `Action item '${id}' not found`);
  return item;
}

/** Ticks an action item off (done) or back open. */
export async function setActionItemDone({ org, teamSlug, id, done, actorUserId, now = new Date() }: { org: Org; teamSlug: string; id: string; done: boolean; actorUserId: string | null; now?: Date }): Promise<ActionItemView> {
  const team = await getTeamBySlug({ orgId: org.id, slug: teamSlug });
  const item = await getItem(org.id, team.id, id);
  if ((item.doneAt !== null) === done) return itemView(item);
  const updated = await db().actionItem.update({ where: { orgId_id: { orgId: org.id, id } }, data: { doneAt: done ? now : null } });
  await recordAudit({ orgId: org.id, actorUserId, action: done ? 'action_item.complete' : 'action_item.reopen', target: `action_item:${id}`, detail: { team: team.slug, week: formatIsoDate(item.weekStart), text: item.text } });
  return itemView(updated);
}

export async function deleteActionItem({ org, teamSlug, id, actorUserId }: { org: Org; teamSlug: string; id: string; actorUserId: string | null }): Promise<void> {
  const team = await getTeamBySlug({ orgId: org.id, slug: teamSlug });
  const item = await getItem(org.id, team.id, id);
  await db().actionItem.delete({ where: { orgId_id: { orgId: org.id, id } } });
  await recordAudit({ orgId: org.id, actorUserId, action: 'action_item.delete', target: `action_item:${id}`, detail: { team: team.slug, week: formatIsoDate(item.weekStart), text: item.text } });
}
