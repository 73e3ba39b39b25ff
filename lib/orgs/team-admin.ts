import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';
import { formatIsoDate, localDate, parseIsoDate } from '../metrics/weeks.ts';
import type { MembershipRow, TeamSummary } from './team-schemas.ts';

// Teams and dated team memberships, as admins edit them in settings. A membership is
// [validFrom, validTo): the admin gives calendar days in the org's time zone (first and last day
// in the team), stored as the local midnights that start the first day and end the last.
// Metrics follow: the weeks whose team attribution changed are marked dirty (RollupDirtyDay), so
// their rollups are recomputed and computed live until then. The TeamMembership trigger (migration
// add_weekly_rollups) would mark every day of the old and the new span, months for a long-standing
// membership that ends today; these writes defer it (throughline.rollups_deferred) and mark, with
// the same tl_mark_days, just the days whose membership changed. Deleting a team leaves the
// trigger to mark its memberships; clearing a repository's default team makes the org's rollups
// stale whole (trigger tl_stale).

type Tx = Prisma.TransactionClient;
type OrgRef = { id: string; timeZone: string };

const DAY_MS = 86_400_000;

/** The instant a calendar day starts in `timeZone` (PostgreSQL's zone rules, as the metrics use). */
async function startOfDay(tx: Tx, day: string, timeZone: string): Promise<Date> {
  const [row] = await tx.$queryRaw<{ t: Date }[]>`SELECT ((${day})::date::timestamp AT TIME ZONE ${timeZone}) AS t`;
  return row!.t;
}

/** From here on in this transaction the membership trigger marks nothing: the writer marks (markSpans). */
async function deferTrigger(tx: Tx): Promise<void> {
  await tx.$executeRaw`SET LOCAL throughline.rollups_deferred = 'on'`;
}

/** Marks the UTC days of each span [from, to] (to null: now) dirty; spans starting after now mark nothing. */
async function markSpans(tx: Tx, orgId: string, spans: { from: Date; to: Date | null }[]): Promise<void> {
  for (const { from, to } of spans) {
    await tx.$executeRaw`SELECT tl_mark_days(${orgId}, ARRAY(
      SELECT generate_series((${from}::timestamptz AT TIME ZONE 'UTC')::date, (least(coalesce(${to}::timestamptz, now()), now()) AT TIME ZONE 'UTC')::date, interval '1 day') AT TIME ZONE 'UTC'))`;
  }
}

const minDate = (a: Date, b: Date) => (a < b ? a : b);
const maxEnd = (a: Date | null, b: Date | null) => (a === null || b === null ? null : a > b ? a : b);

const nextDay = (day: string) => formatIsoDate(new Date(parseIsoDate(day)!.getTime() + DAY_MS));

/** Lowercase words joined by dashes, as a team slug: "Mobile Apps!" → "mobile-apps". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || 'team';
}

export async function listTeamSummaries({ orgId, now = new Date() }: { orgId: string; now?: Date }): Promise<TeamSummary[]> {
  const teams = await db().team.findMany({
    where: { orgId },
    orderBy: { name: 'asc' },
    select: {
      id: true, slug: true, name: true,
      _count: {
        select: {
          memberships: { where: { validFrom: { lte: now }, OR: [{ validTo: null }, { validTo: { gt: now } }] } },
          repositories: true, weeklyReviews: true, annotations: true,
        },
      },
    },
  });
  return teams.map(({ _count, ...t }) => ({ ...t, currentMembers: _count.memberships, repositories: _count.repositories, weeklyReviews: _count.weeklyReviews, annotations: _count.annotations }));
}

async function findTeam(client: Tx | ReturnType<typeof db>, orgId: string, teamId: string) {
  const team = await client.team.findFirst({ where: { orgId, id: teamId } });
  if (!team) throw new AppError('not_found', 'Team not found');
  return team;
}

/** The org's team with this id; another org's team looks missing. */
export async function getTeam({ orgId, teamId }: { orgId: string; teamId: string }) {
  return findTeam(db(), orgId, teamId);
}

async function refuseDuplicateName(client: Tx, orgId: string, name: string, exceptId?: string) {
  const same = await client.team.findFirst({ where: { orgId, name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) } });
  if (same) throw new AppError('conflict', `name: a team named '${same.name}' already exists`);
}

export async function createTeam({ orgId, name, slug, actorUserId }: { orgId: string; name: string; slug?: string; actorUserId: string | null }) {
  const team = await db().$transaction(async (tx) => {
    await refuseDuplicateName(tx, orgId, name);
    let chosen = slug ?? slugify(name);
    const taken = new Set((await tx.team.findMany({ where: { orgId, slug: { startsWith: chosen } }, select: { slug: true } })).map((t) => t.slug));
    if (taken.has(chosen)) {
      if (slug) throw new AppError('conflict', `slug: '${slug}' is already used by another team`);
      let n = 2;
      while (taken.has(`${chosen}-${n}`)) n++;
      chosen = `${chosen}-${n}`;
    }
    return tx.team.create({ data: { orgId, name, slug: chosen } });
  });
  await recordAudit({ orgId, actorUserId, action: 'team.create', target: `team:${team.id}`, detail: { name: team.name, slug: team.slug } });
  return team;
}

export async function renameTeam({ orgId, teamId, name, actorUserId }: { orgId: string; teamId: string; name: string; actorUserId: string | null }) {
  const { before, team } = await db().$transaction(async (tx) => {
    const before = await findTeam(tx, orgId, teamId);
    await refuseDuplicateName(tx, orgId, name, teamId);
    const team = await tx.team.update({ where: { orgId_id: { orgId, id: teamId } }, data: { name } });
    return { before, team };
  });
  if (before.name !== team.name) await recordAudit({ orgId, actorUserId, action: 'team.rename', target: `team:${teamId}`, detail: { from: before.name, to: team.name } });
  return team;
}

/**
 * Deletes a team with its memberships; its repositories lose their default team. A team with
 * weekly reviews, action items or annotations is refused: deleting would lose them.
 */
export async function deleteTeam({ orgId, teamId, actorUserId }: { orgId: string; teamId: string; actorUserId: string | null }) {
  const detail = await db().$transaction(async (tx) => {
    const team = await findTeam(tx, orgId, teamId);
    const where = { orgId, teamId };
    const [reviews, actionItems, annotations] = await Promise.all([tx.weeklyReview.count({ where }), tx.actionItem.count({ where }), tx.annotation.count({ where })]);
    if (reviews + actionItems + annotations > 0) {
      const kept = [[reviews, 'weekly review'], [actionItems, 'action item'], [annotations, 'annotation']]
        .filter(([n]) => (n as number) > 0)
        .map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`)
        .join(', ');
      throw new AppError('conflict', `${team.name} has ${kept} that deleting it would lose: rename the team instead`);
    }
    const repositories = await tx.repository.updateMany({ where: { orgId, defaultTeamId: teamId }, data: { defaultTeamId: null } });
    const memberships = await tx.teamMembership.count({ where });
    await tx.weeklyRollup.deleteMany({ where: { orgId, scope: teamId } });
    // Its memberships go with it (cascade), each marking the days it spanned for the rollups.
    await tx.team.delete({ where: { orgId_id: { orgId, id: teamId } } });
    return { name: team.name, slug: team.slug, memberships, repositories: repositories.count };
  });
  await recordAudit({ orgId, actorUserId, action: 'team.delete', target: `team:${teamId}`, detail });
  return detail;
}

const membershipInclude = { team: { select: { name: true, slug: true } }, person: { select: { displayName: true, isBot: true } } } satisfies Prisma.TeamMembershipInclude;
type MembershipWith = Prisma.TeamMembershipGetPayload<{ include: typeof membershipInclude }>;

function toRow(m: MembershipWith, timeZone: string, now: Date): MembershipRow {
  return {
    id: m.id,
    teamId: m.teamId,
    teamName: m.team.name,
    teamSlug: m.team.slug,
    personId: m.personId,
    personName: m.person.displayName,
    isBot: m.person.isBot,
    from: formatIsoDate(localDate(m.validFrom, timeZone)),
    // validTo is exclusive: the last day is the one holding the instant before it.
    to: m.validTo ? formatIsoDate(localDate(new Date(m.validTo.getTime() - 1), timeZone)) : null,
    current: m.validFrom <= now && (m.validTo === null || m.validTo > now),
  };
}

/** A team's memberships: current ones first (by name), then past and future ones, latest first. */
export async function listTeamMemberships({ org, teamId, now = new Date() }: { org: OrgRef; teamId: string; now?: Date }): Promise<MembershipRow[]> {
  await findTeam(db(), org.id, teamId);
  const rows = await db().teamMembership.findMany({ where: { orgId: org.id, teamId }, include: membershipInclude, orderBy: [{ validFrom: 'desc' }] });
  const mapped = rows.map((m) => toRow(m, org.timeZone, now));
  return [...mapped.filter((m) => m.current).sort((a, b) => a.personName.localeCompare(b.personName)), ...mapped.filter((m) => !m.current)];
}

/** A person's memberships in every team, latest first. */
export async function listPersonMemberships({ org, personId, now = new Date() }: { org: OrgRef; personId: string; now?: Date }) {
  const person = await db().person.findFirst({ where: { orgId: org.id, id: personId }, select: { id: true, displayName: true, isBot: true } });
  if (!person) throw new AppError('not_found', 'Person not found');
  const rows = await db().teamMembership.findMany({ where: { orgId: org.id, personId }, include: membershipInclude, orderBy: [{ validFrom: 'desc' }] });
  return { person, memberships: rows.map((m) => toRow(m, org.timeZone, now)) };
}

/** Same-team memberships of the person overlapping [from, to) (to null: open), except `exceptId`. */
async function overlapping(tx: Tx, m: { orgId: string; teamId: string; personId: string; from: Date; to: Date | null; exceptId?: string }) {
  return tx.teamMembership.findFirst({
    where: {
      orgId: m.orgId, teamId: m.teamId, personId: m.personId,
      ...(m.exceptId ? { id: { not: m.exceptId } } : {}),
      OR: [{ validTo: null }, { validTo: { gt: m.from } }],
      ...(m.to ? { validFrom: { lt: m.to } } : {}),
    },
    include: membershipInclude,
  });
}

function overlapError(existing: MembershipWith, timeZone: string) {
  const row = toRow(existing, timeZone, new Date());
  return new AppError('conflict', `${row.personName} is already in ${row.teamName} ${row.to ? `from ${row.from} to ${row.to}` : `from ${row.from}`}: edit or end that membership instead`);
}

/**
 * Adds a person to a team from a day. With `endCurrent`, their memberships of other teams running
 * on that day end the day before (a move from one team to another).
 */
export async function addMembership(input: { org: OrgRef; teamId: string; personId: string; from: string; endCurrent: boolean; actorUserId: string | null }) {
  const { org, teamId, personId, from, endCurrent, actorUserId } = input;
  const orgId = org.id;
  const { created, ended } = await db().$transaction(async (tx) => {
    const team = await findTeam(tx, orgId, teamId);
    const person = await tx.person.findFirst({ where: { orgId, id: personId } });
    if (!person) throw new AppError('not_found', 'Person not found');
    const start = await startOfDay(tx, from, org.timeZone);
    const clash = await overlapping(tx, { orgId, teamId, personId, from: start, to: null });
    if (clash) throw overlapError(clash, org.timeZone);
    await deferTrigger(tx);
    // The person's team changes from the first day on, and nowhere before it.
    await markSpans(tx, orgId, [{ from: start, to: null }]);
    const ended: string[] = [];
    if (endCurrent) {
      const running = await tx.teamMembership.findMany({
        where: { orgId, personId, teamId: { not: teamId }, validFrom: { lt: start }, OR: [{ validTo: null }, { validTo: { gt: start } }] },
        include: membershipInclude,
      });
      for (const m of running) {
        await tx.teamMembership.update({ where: { orgId_id: { orgId, id: m.id } }, data: { validTo: start } });
        ended.push(m.team.name);
      }
    }
    const created = await tx.teamMembership.create({ data: { orgId, teamId: team.id, personId, validFrom: start }, include: membershipInclude });
    return { created, ended };
  });
  const row = toRow(created, org.timeZone, new Date());
  await recordAudit({ orgId, actorUserId, action: 'team.membership_add', target: `membership:${row.id}`, detail: { team: row.teamName, person: row.personName, from, endedIn: ended } });
  return { membership: row, endedIn: ended };
}

/** Changes a membership's first and/or last day (`to` null: still a member). */
export async function updateMembership(input: { org: OrgRef; teamId: string; membershipId: string; from?: string; to?: string | null; actorUserId: string | null }) {
  const { org, teamId, membershipId, actorUserId } = input;
  const orgId = org.id;
  const { before, after } = await db().$transaction(async (tx) => {
    const existing = await tx.teamMembership.findFirst({ where: { orgId, teamId, id: membershipId }, include: membershipInclude });
    if (!existing) throw new AppError('not_found', 'Membership not found');
    const before = toRow(existing, org.timeZone, new Date());
    const from = input.from ?? before.from;
    const to = input.to === undefined ? before.to : input.to;
    if (to !== null && to < from) throw new AppError('bad_request', `to: must be on or after the first day (${from})`);
    const validFrom = input.from === undefined ? existing.validFrom : await startOfDay(tx, from, org.timeZone);
    const validTo = input.to === undefined ? existing.validTo : to === null ? null : await startOfDay(tx, nextDay(to), org.timeZone);
    const clash = await overlapping(tx, { orgId, teamId, personId: existing.personId, from: validFrom, to: validTo, exceptId: membershipId });
    if (clash) throw overlapError(clash, org.timeZone);
    await deferTrigger(tx);
    // What changed: the days between the old and new first day, and between the old and new last.
    // Where another team's membership overlaps, which one wins (the later start) can change on the
    // whole span: then all of the old and new span.
    const whole = { from: minDate(existing.validFrom, validFrom), to: maxEnd(existing.validTo, validTo) };
    const others = await tx.teamMembership.count({
      where: { orgId, personId: existing.personId, id: { not: membershipId }, ...(whole.to ? { validFrom: { lt: whole.to } } : {}), OR: [{ validTo: null }, { validTo: { gt: whole.from } }] },
    });
    const spans: { from: Date; to: Date | null }[] = [];
    if (existing.validFrom.getTime() !== validFrom.getTime()) spans.push({ from: minDate(existing.validFrom, validFrom), to: existing.validFrom > validFrom ? existing.validFrom : validFrom });
    if (existing.validTo?.getTime() !== validTo?.getTime()) {
      // Old and new last instants (null: still a member, so up to now).
      const [x, y] = [existing.validTo, validTo];
      spans.push(x === null || y === null ? { from: (x ?? y)!, to: null } : { from: minDate(x, y), to: maxEnd(x, y) });
    }
    await markSpans(tx, orgId, others > 0 ? [whole] : spans);
    const updated = await tx.teamMembership.update({ where: { orgId_id: { orgId, id: membershipId } }, data: { validFrom, validTo }, include: membershipInclude });
    return { before, after: toRow(updated, org.timeZone, new Date()) };
  });
  await recordAudit({
    orgId, actorUserId, action: 'team.membership_update', target: `membership:${membershipId}`,
    detail: { team: after.teamName, person: after.personName, from: { was: before.from, now: after.from }, to: { was: before.to, now: after.to } },
  });
  return after;
}

/** Removes a membership entered by mistake (to end one, set its last day instead). */
export async function deleteMembership({ org, teamId, membershipId, actorUserId }: { org: OrgRef; teamId: string; membershipId: string; actorUserId: string | null }) {
  const row = await db().$transaction(async (tx) => {
    const existing = await tx.teamMembership.findFirst({ where: { orgId: org.id, teamId, id: membershipId }, include: membershipInclude });
    if (!existing) throw new AppError('not_found', 'Membership not found');
    await deferTrigger(tx);
    await markSpans(tx, org.id, [{ from: existing.validFrom, to: existing.validTo }]);
    await tx.teamMembership.delete({ where: { orgId_id: { orgId: org.id, id: membershipId } } });
    return toRow(existing, org.timeZone, new Date());
  });
  await recordAudit({ orgId: org.id, actorUserId, action: 'team.membership_delete', target: `membership:${membershipId}`, detail: { team: row.teamName, person: row.personName, from: row.from, to: row.to } });
}
