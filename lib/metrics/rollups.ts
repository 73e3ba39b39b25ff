import { db, readDb } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { log } from '../log.ts';
import { computeWeeks, ORG_SCOPE, type WeekFigures } from './compute-weeks.ts';
import type { FamilyInput, Queryable } from './family.ts';
import { METRICS_VERSION } from './schemas.ts';
import { addWeeks, formatIsoDate, localDate, mondayOf, parseIsoDate, weekStartOf, weekStartsBetween } from './weeks.ts';

// Weekly rollups: computeWeeks' output stored per org, scope and week, so dashboards read a few
// rows instead of scanning history. Triggers on the derived tables mark the UTC days each write
// touched (RollupDirtyDay); refreshRollups recomputes just the weeks holding them. An org whose
// RollupState is missing or of an older METRICS_VERSION is rebuilt whole, oldest week first; while
// it runs, RollupState.rebuiltThrough says how far it has got. Reads never return a stale figure:
// weeks still marked, or not rebuilt yet, are computed live from the tables.
// A week's 4-week trailing figures (trailing-medians.ts) also depend on the 3 weeks before it, so
// a mark in week X makes X..X+3 stale. RollupState.builtAt is the instant the rollups were last
// brought up to date through its local week (every week up to it computed since its last change);
// the 3 weeks after that week can hold trailing figures nobody has computed yet.

type Tx = Prisma.TransactionClient;
type OrgSettings = { id: string; timeZone: string; cycleTimeStart: 'created' | 'in_progress'; countWeakAiSignals: boolean };

const DAY_MS = 86_400_000;
// How many weeks after its own a change reaches: the 4-week trailing figures (trailing-medians.ts).
const TRAILING_WEEKS = 3;
// A full rebuild computes and writes this many weeks per transaction: short transactions, bounded memory.
const REBUILD_CHUNK_WEEKS = 4;

const familyInput = (org: OrgSettings, weeks: string[], client: Queryable = db()): FamilyInput => ({
  db: client,
  orgId: org.id, timeZone: org.timeZone, cycleTimeStart: org.cycleTimeStart, countWeakAiSignals: org.countWeakAiSignals, weeks,
});

/** The weeks (in `timeZone`) holding any instant of the given UTC days. */
export function weeksOfUtcDays(days: Date[], timeZone: string): string[] {
  const weeks = new Set<string>();
  for (const day of days) {
    for (const instant of [day.getTime(), day.getTime() + DAY_MS - 1]) weeks.add(formatIsoDate(mondayOf(localDate(new Date(instant), timeZone))));
  }
  return [...weeks].sort();
}

/** `week` and the `count` weeks after it. */
function weekAndNext(week: string, count: number): string[] {
  const start = parseIsoDate(week)!;
  return Array.from({ length: count + 1 }, (_, i) => formatIsoDate(addWeeks(start, i)));
}

/**
 * The weeks a refresh recomputes: each marked week and the 3 after it up to the current week
 * (their trailing figures), and the weeks after `covered` (the week rollups were last current
 * through) up to the current one, whose trailing figures may reach back into it. Weeks further
 * after `covered` hold nothing unless marked.
 */
export function weeksToRefresh(markedWeeks: string[], covered: string, current: string): string[] {
  const weeks = new Set<string>();
  for (const week of markedWeeks) {
    weeks.add(week);
    for (const next of weekAndNext(week, TRAILING_WEEKS).slice(1)) if (next <= current) weeks.add(next);
  }
  for (const next of weekAndNext(covered, TRAILING_WEEKS).slice(1)) if (next <= current) weeks.add(next);
  return [...weeks].sort();
}

/** Only one process refreshes an org at a time; the other skips it (its marks stay for the next round). */
async function tryLockOrg(tx: Tx, orgId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext(${`rollups:${orgId}`})) AS locked`;
  return row!.locked;
}

async function writeWeeks(tx: Tx, orgId: string, weeks: string[], computed: Map<string, Map<string, WeekFigures>>): Promise<void> {
  await tx.$executeRaw`DELETE FROM "WeeklyRollup" WHERE "orgId" = ${orgId} AND "weekStart" = ANY(${weeks}::date[])`;
  const computedAt = new Date();
  const data = [...computed].flatMap(([scope, byWeek]) =>
    [...byWeek].map(([week, figures]) => ({ orgId, scope, weekStart: new Date(`${week}T00:00:00Z`), metricsVersion: METRICS_VERSION, computedAt, figures: figures as Prisma.InputJsonValue })),
  );
  if (data.length) await tx.weeklyRollup.createMany({ data });
}

/** The first instant anything in the org's derived tables happened, or null when they are empty. */
async function firstActivity(tx: Tx, orgId: string): Promise<Date | null> {
  const [row] = await tx.$queryRaw<{ first: Date | null }[]>`
    SELECT least(
      (SELECT min("createdAt") FROM "PullRequest" WHERE "orgId" = ${orgId}),
      (SELECT min("committedAt") FROM "Commit" WHERE "orgId" = ${orgId}),
      (SELECT min("createdAt") FROM "Ticket" WHERE "orgId" = ${orgId}),
      (SELECT min(coalesce("startedAt", "completedAt")) FROM "CiRun" WHERE "orgId" = ${orgId}),
      (SELECT min(day)::timestamptz FROM "AiUsageDaily" WHERE "orgId" = ${orgId}),
      (SELECT min("createdAt") FROM "Deployment" WHERE "orgId" = ${orgId})) AS first`;
  return row?.first ?? null;
}

/** How long a rebuild holds an org without writing a chunk; after that another process takes it over. */
const REBUILD_LEASE_MS = 5 * 60_000;
const leaseFrom = (now: Date) => new Date(now.getTime() + REBUILD_LEASE_MS);

/**
 * Rebuilds all of an org's rollups, from its first activity to this week. Null when another
 * process is rebuilding it, or when a setting changed under this rebuild (the next round starts
 * again).
 *
 * First, in one short transaction: drop the rollups and the marks, and record a rebuild in progress
 * (RollupState.rebuiltThrough: nothing written yet). Then compute the weeks a few at a time, oldest
 * first, outside any transaction, so page reads interleave with the rebuild's queries (on the
 * embedded database all share one connection); each chunk is written in a short transaction that
 * also moves rebuiltThrough on. Reads use the weeks written so far and compute later ones live.
 * Computing outside a transaction is safe: every write after the first transaction marks its days,
 * and marked weeks are read live until a refresh recomputes them.
 */
export async function rebuildOrgRollups({ id }: { id: string }, now = new Date()): Promise<{ weeks: number } | null> {
  const started = await db().$transaction(async (tx) => {
    if (!(await tryLockOrg(tx, id))) return null;
    // The settings as of now, under the lock: a change after this drops the state row (trigger
    // tl_stale), which stops the chunks below.
    const org = await tx.organization.findUniqueOrThrow({ where: { id }, select: { id: true, timeZone: true, cycleTimeStart: true, countWeakAiSignals: true } });
    const held = await tx.rollupState.findUnique({ where: { orgId: org.id } });
    if (held?.rebuiltThrough && held.leaseUntil && held.leaseUntil > new Date()) return null;
    await tx.rollupDirtyDay.deleteMany({ where: { orgId: org.id } });
    await tx.weeklyRollup.deleteMany({ where: { orgId: org.id } });
    const first = await firstActivity(tx, org.id);
    const weeks = first ? weekStartsBetween(localDate(new Date(Math.min(first.getTime(), now.getTime())), org.timeZone), localDate(now, org.timeZone)) : [];
    const state = { metricsVersion: METRICS_VERSION, builtAt: now, rebuiltThrough: new Date(0), leaseUntil: leaseFrom(new Date()) };
    await tx.rollupState.upsert({ where: { orgId: org.id }, create: { orgId: org.id, ...state }, update: state });
    return { org, weeks };
  });
  if (started === null) return null;
  const { org, weeks } = started;
  // This rebuild's state row: gone or replaced (a setting moved, or a takeover) means stop.
  const ours = { orgId: org.id, builtAt: now, metricsVersion: METRICS_VERSION, rebuiltThrough: { not: null } };
  for (let i = 0; i < weeks.length; i += REBUILD_CHUNK_WEEKS) {
    const chunk = weeks.slice(i, i + REBUILD_CHUNK_WEEKS);
    const computed = await computeWeeks(familyInput(org, chunk));
    const written = await db().$transaction(async (tx) => {
      const moved = await tx.rollupState.updateMany({ where: ours, data: { rebuiltThrough: new Date(`${chunk.at(-1)}T00:00:00Z`), leaseUntil: leaseFrom(new Date()) } });
      if (moved.count === 0) return false;
      await writeWeeks(tx, org.id, chunk, computed);
      return true;
    });
    if (!written) return null;
  }
  // Current through the week of `now`, the last week computed.
  const done = await db().rollupState.updateMany({ where: ours, data: { rebuiltThrough: null, leaseUntil: null } });
  return done.count ? { weeks: weeks.length } : null;
}

/**
 * Recomputes the weeks holding the org's marked days and the 3 after each, and brings the rollups
 * current through this week (weeksToRefresh); returns how many weeks (null when another process
 * holds it).
 */
export async function refreshOrgRollups(org: OrgSettings, now = new Date()): Promise<{ weeks: number } | null> {
  return db().$transaction(
    async (tx) => {
      if (!(await tryLockOrg(tx, org.id))) return null;
      // Deleted in this transaction: a writer marking one of these days meanwhile waits for the
      // commit and marks it again, so its change is recomputed next round.
      const days = await tx.$queryRaw<{ day: Date }[]>`DELETE FROM "RollupDirtyDay" WHERE "orgId" = ${org.id} RETURNING day`;
      const state = await tx.rollupState.findUniqueOrThrow({ where: { orgId: org.id } });
      const current = weekStartOf(now, org.timeZone);
      const covered = weekStartOf(state.builtAt, org.timeZone);
      const weeks = weeksToRefresh(weeksOfUtcDays(days.map((d) => d.day), org.timeZone), covered, current);
      if (weeks.length) await writeWeeks(tx, org.id, weeks, await computeWeeks(familyInput(org, weeks, tx)));
      if (current > covered) await tx.rollupState.update({ where: { orgId: org.id }, data: { builtAt: now } });
      return { weeks: weeks.length };
    },
    { timeout: 10 * 60_000, maxWait: 10_000 },
  );
}

/**
 * Brings every org's rollups up to date: rebuilds those without a current state, refreshes those
 * with marked weeks or not yet current through this week (a new week's trailing figures).
 */
export async function refreshRollups(): Promise<{ orgs: number; weeks: number }> {
  // A rebuild in progress elsewhere (its lease live) is left alone; one whose lease ran out died
  // and is started again.
  const orgs = await db().$queryRaw<(OrgSettings & { current: boolean })[]>`
    SELECT o.id, o."timeZone", o."cycleTimeStart"::text AS "cycleTimeStart", o."countWeakAiSignals",
           (s."metricsVersion" = ${METRICS_VERSION} AND s."rebuiltThrough" IS NULL) IS TRUE AS current
    FROM "Organization" o LEFT JOIN "RollupState" s ON s."orgId" = o.id
    WHERE NOT (s."rebuiltThrough" IS NOT NULL AND s."leaseUntil" > now())
      AND (s."orgId" IS NULL OR s."metricsVersion" <> ${METRICS_VERSION} OR s."rebuiltThrough" IS NOT NULL
       OR EXISTS (SELECT 1 FROM "RollupDirtyDay" d WHERE d."orgId" = o.id)
       OR date_trunc('week', s."builtAt" AT TIME ZONE o."timeZone") < date_trunc('week', now() AT TIME ZONE o."timeZone"))`;
  let weeks = 0;
  for (const org of orgs) {
    try {
      weeks += (await (org.current ? refreshOrgRollups(org) : rebuildOrgRollups(org)))?.weeks ?? 0;
    } catch (error) {
      // One org's failure (its marks roll back) must not hold the others' rollups back.
      log.error({ err: error, orgId: org.id }, 'rollup refresh failed');
    }
  }
  return { orgs: orgs.length, weeks };
}

type RollupSnapshot = { version: number | null; builtAt: Date | null; rebuiltThrough: string | null; rows: { week: string; figures: WeekFigures }[]; dirtyDays: string[] };

/**
 * A scope's figures for the given weeks, from rollups where they are current, else computed live
 * (an org not rolled up yet; weeks a rebuild in progress has not written yet; weeks with marked
 * days in them or in the 3 weeks before them; the 3 weeks after the one rollups are current
 * through). Weeks with nothing in them are absent.
 */
export async function readWeekFigures(org: OrgSettings, scope: string, weeks: string[]): Promise<Map<string, WeekFigures>> {
  if (weeks.length === 0) return new Map();
  // On the read replica when it is fresh enough: the snapshot and the live weeks from one server.
  return readDb((client) => readWeekFiguresFrom(client, org, scope, weeks));
}

async function readWeekFiguresFrom(client: Queryable, org: OrgSettings, scope: string, weeks: string[]): Promise<Map<string, WeekFigures>> {
  const first = new Date(`${weeks[0]}T00:00:00Z`);
  const last = new Date(`${weeks.at(-1)}T00:00:00Z`);
  // A local week spans UTC days from the day before its Monday to the day after its Sunday; marks
  // in the 3 weeks before the first week count too (trailing figures). One statement, so one
  // snapshot (a refresh committing between reads cannot hide a stale week) and no transaction to
  // wait for while the embedded database's one connection is busy.
  const [snapshot] = await client.$queryRaw<RollupSnapshot[]>`
    SELECT s."metricsVersion" AS version, s."builtAt" AS "builtAt", to_char(s."rebuiltThrough", 'YYYY-MM-DD') AS "rebuiltThrough",
      (SELECT coalesce(json_agg(json_build_object('week', to_char(r."weekStart", 'YYYY-MM-DD'), 'figures', r.figures)), '[]'::json)
         FROM "WeeklyRollup" r WHERE r."orgId" = ${org.id} AND r.scope = ${scope} AND r."weekStart" BETWEEN ${first} AND ${last}) AS rows,
      (SELECT coalesce(array_agg(to_char(d.day, 'YYYY-MM-DD')), '{}')
         FROM "RollupDirtyDay" d WHERE d."orgId" = ${org.id}
          AND d.day BETWEEN ${new Date(addWeeks(first, -TRAILING_WEEKS).getTime() - DAY_MS)} AND ${new Date(last.getTime() + 8 * DAY_MS)}) AS "dirtyDays"
    FROM (SELECT 1) one LEFT JOIN "RollupState" s ON s."orgId" = ${org.id}`;
  const stale = staleWeeks(snapshot!, org.timeZone, weeks);
  const figures = new Map<string, WeekFigures>(snapshot!.rows.filter((r) => !stale.has(r.week)).map((r) => [r.week, r.figures]));
  const live = weeks.filter((w) => stale.has(w));
  if (live.length) {
    const computed = (await computeWeeks(familyInput(org, live, client))).get(scope);
    for (const week of live) {
      const f = computed?.get(week);
      if (f) figures.set(week, f);
      else figures.delete(week);
    }
  }
  return figures;
}

/** Which of `weeks` the snapshot cannot answer (see readWeekFigures). */
function staleWeeks(snapshot: RollupSnapshot, timeZone: string, weeks: string[]): Set<string> {
  if (snapshot.version !== METRICS_VERSION || !snapshot.builtAt) return new Set(weeks);
  const marked = weeksOfUtcDays(snapshot.dirtyDays.map((d) => new Date(`${d}T00:00:00Z`)), timeZone);
  const stale = new Set(marked.flatMap((w) => weekAndNext(w, TRAILING_WEEKS)));
  for (const w of weekAndNext(weekStartOf(snapshot.builtAt, timeZone), TRAILING_WEEKS).slice(1)) stale.add(w);
  const through = snapshot.rebuiltThrough;
  if (through) for (const w of weeks) if (w > through) stale.add(w);
  return stale;
}

export { ORG_SCOPE };
