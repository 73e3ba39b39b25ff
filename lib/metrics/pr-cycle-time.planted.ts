import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';

// Test support for cycle-time and review-time tests: plants pull requests, reviews and tickets
// described as plain objects, and a tiny reference implementation of docs/metrics.md over those
// same objects (sort + linear interpolation, like numpy's percentile), independent of the SQL.

export type Who = 'ann' | 'bob' | 'rita' | 'ray' | 'bot' | 'reviewBot';
const BOTS: Who[] = ['bot', 'reviewBot'];

/** Dated team memberships: Rita moves from alpha to beta on Wednesday 2026-03-04 at noon UTC. */
const MEMBERSHIPS: { who: Who; team: 'alpha' | 'beta'; from: string; to?: string }[] = [
  { who: 'ann', team: 'alpha', from: '2026-01-01T00:00:00Z' },
  { who: 'bob', team: 'beta', from: '2026-01-01T00:00:00Z' },
  { who: 'rita', team: 'alpha', from: '2026-01-01T00:00:00Z', to: '2026-03-04T12:00:00Z' },
  { who: 'rita', team: 'beta', from: '2026-03-04T12:00:00Z' },
  { who: 'ray', team: 'beta', from: '2026-01-01T00:00:00Z' },
];

export interface ReviewSpec {
  /** null: a reviewer the source could not name (a deleted account). */
  by: Who | null;
  at: string;
  state: 'approved' | 'commented' | 'changes_requested' | 'dismissed';
}

export interface PrSpec {
  author: Who;
  /** Merged when mergedAt is set; open otherwise. */
  mergedAt?: string;
  createdAt: string;
  /** Left draft; absent when opened ready (readyAt = createdAt) — or, as some stored rows have it, unknown. */
  readyAt?: string;
  firstCommitAt?: string;
  reviews?: ReviewSpec[];
  /** AI evidence of the given strength. */
  ai?: 'strong' | 'weak';
  inferred?: boolean;
  additions?: number;
  deletions?: number;
}

export interface TicketSpec {
  createdAt: string;
  startedAt?: string;
  /** Reopened tickets are back in progress with no done time. */
  status?: 'done' | 'in_progress';
  prs: string[];
}

export const T = (iso: string) => new Date(iso);

/** Plants an org (repository r1, default team alpha) with the given pull requests (by name) and tickets. */
export async function plantReviewData(opts: { prs: Record<string, PrSpec>; tickets?: TicketSpec[]; timeZone?: string; countWeakAiSignals?: boolean }) {
  const org = await db().organization.create({
    data: { slug: randomSlug(), name: 'Reviews', timeZone: opts.timeZone ?? 'UTC', cycleTimeStart: 'in_progress', countWeakAiSignals: opts.countWeakAiSignals ?? false },
  });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  const beta = await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const teams = { alpha: alpha.id, beta: beta.id };
  const people = {} as Record<Who, string>;
  for (const who of ['ann', 'bob', 'rita', 'ray', 'bot', 'reviewBot'] as Who[]) {
    people[who] = (await db().person.create({ data: { orgId, displayName: who, isBot: BOTS.includes(who) } })).id;
  }
  await db().teamMembership.createMany({
    data: MEMBERSHIPS.map((m) => ({ orgId, personId: people[m.who], teamId: teams[m.team], validFrom: T(m.from), validTo: m.to ? T(m.to) : null })),
  });
  const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r1', defaultTeamId: alpha.id } });
  const prIds: Record<string, string> = {};
  let number = 0;
  let reviewId = 0;
  for (const [name, p] of Object.entries(opts.prs)) {
    const pr = await db().pullRequest.create({
      data: {
        orgId, repositoryId: repo.id, number: ++number, title: name, authorId: people[p.author], state: p.mergedAt ? 'merged' : 'open',
        createdAt: T(p.createdAt), readyAt: p.readyAt ? T(p.readyAt) : null, firstCommitAt: p.firstCommitAt ? T(p.firstCommitAt) : null,
        mergedAt: p.mergedAt ? T(p.mergedAt) : null, closedAt: p.mergedAt ? T(p.mergedAt) : null, isInferred: p.inferred ?? false,
        additions: p.additions ?? 0, deletions: p.deletions ?? 0,
        aiEvidence: p.ai ? [{ kind: p.ai === 'strong' ? 'co_author' : 'mention', tool: 'Claude Code', aiTool: 'claude_code', strength: p.ai, evidence: 'planted' }] : [],
      },
    });
    prIds[name] = pr.id;
    for (const r of p.reviews ?? []) {
      await db().review.create({
        data: { orgId, pullRequestId: pr.id, externalId: String(++reviewId), reviewerId: r.by ? people[r.by] : null, state: r.state, submittedAt: T(r.at) },
      });
    }
  }
  let key = 0;
  for (const t of opts.tickets ?? []) {
    const ticket = await db().ticket.create({
      data: {
        orgId, source: 'jira', externalId: String(++key), key: `T-${key}`, title: `T${key}`, statusCategory: t.status ?? 'done',
        createdAt: T(t.createdAt), startedAt: t.startedAt ? T(t.startedAt) : null,
      },
    });
    await db().ticketPullRequestLink.createMany({ data: t.prs.map((name) => ({ orgId, ticketId: ticket.id, pullRequestId: prIds[name]!, foundBy: 'branch_name' as const })) });
  }
  return { org, teams };
}

// ───────────── reference implementation (plain TypeScript over the specs) ─────────────

/** numpy's default percentile: linear interpolation between the closest ranks; null for no values. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (values: number[]) => percentile(values, 0.5);
export const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** Hours from a to b; null when either is missing or b is before a. */
export function hours(a: string | undefined | null, b: string | undefined | null): number | null {
  if (!a || !b || T(b) < T(a)) return null;
  return (T(b).getTime() - T(a).getTime()) / 3_600_000;
}

/** Monday (YYYY-MM-DD) of the local week of `iso` in a zone at a fixed offset from UTC (UTC, Asia/Tokyo). */
export function weekOf(iso: string, offsetHours: number): string {
  const local = new Date(T(iso).getTime() + offsetHours * 3_600_000);
  const monday = new Date(local.getTime() - ((local.getUTCDay() + 6) % 7) * 86_400_000);
  return monday.toISOString().slice(0, 10);
}

/** The team of `who` at `iso`; without a membership, the repository's default team (alpha). */
export function teamAt(who: Who, iso: string): 'alpha' | 'beta' {
  const m = MEMBERSHIPS.find((x) => x.who === who && T(x.from) <= T(iso) && (!x.to || T(iso) < T(x.to)));
  return m?.team ?? 'alpha';
}

export const isBot = (who: Who) => BOTS.includes(who);

/** Reviews that count for a PR: by a named person, not a bot, not its author, no later than its merge. */
export function humanReviews(p: PrSpec): ReviewSpec[] {
  return (p.reviews ?? [])
    .filter((r) => r.by !== null && !isBot(r.by) && r.by !== p.author && p.mergedAt && T(r.at) <= T(p.mergedAt))
    .sort((a, b) => T(a.at).getTime() - T(b.at).getTime());
}

/** The phases of a merged PR by docs/metrics.md#pr-phases. */
export function phases(p: PrSpec) {
  const reviews = humanReviews(p);
  const firstReview = reviews[0]?.at;
  const approval = reviews.find((r) => r.state === 'approved')?.at;
  return {
    coding: p.inferred ? null : hours(p.firstCommitAt, p.createdAt),
    pickup: hours(p.readyAt ?? p.createdAt, firstReview),
    review: hours(firstReview, approval),
    merge: hours(approval, p.mergedAt),
  };
}

/** Values of `rows` for a scope (a team, or null: the whole org) and week, dropping nulls. */
export function valuesIn<R extends { week: string; team: string | null }>(rows: R[], scope: string | null, week: string, value: (r: R) => number | null): number[] {
  return rows.filter((r) => r.week === week && (scope === null || r.team === scope)).map(value).filter((v): v is number => v !== null);
}
