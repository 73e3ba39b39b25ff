import { randomUUID } from 'node:crypto';
import { db } from '../db/client.ts';
import { hoursBetween, ORG, TruthTally, weekOfDay, weekOfInstant, type PlantedFigures } from './planted-truth-figures.ts';
import { BulkSink } from './planted-truth-sink.ts';
import { mulberry32 } from './bootstrap.ts';

// Test and benchmark support (never imported by the product): plants a synthetic org from a seed
// — teams, people with dated memberships (some move team mid-quarter, one has none), bots,
// repositories with default teams, pull requests whose phases are drawn from known distributions,
// reviews (a bot's among them), commits, tickets linked to PRs, AI evidence on a share of PRs, AI
// usage rows — and tallies, as it goes, the true weekly figures by the definitions of
// docs/metrics.md (planted-truth-figures.ts), per team and org-wide in the org's time zone.
// Every time is on a quarter hour, so every duration in hours is exact in binary floating point
// and the engine's percentiles can be compared for equality.

export interface PlantOptions {
  seed?: number;
  timeZone?: string;
  /** First day (YYYY-MM-DD) of the planted period. */
  start?: string;
  weeks?: number;
  teams?: number;
  peoplePerTeam?: number;
  repos?: number;
  prs?: number;
  commits?: number;
  /** Share of pull requests with strong AI evidence. */
  aiShare?: number;
  /** Share of merged pull requests given a ticket. */
  ticketShare?: number;
  /** Chance that one CI workflow's first attempt passes, for AI and other pull requests. */
  ciPass?: { ai: number; human: number };
  /** Tally the true figures (memory grows with the PRs: off for large benchmarks). */
  truth?: boolean;
  /** Skip all triggers while loading, foreign-key checks included, where the role may (benchmarks). */
  bypassTriggers?: boolean;
  onProgress?: (done: { prs: number; commits: number }) => void;
}

export interface PlantedOrg {
  org: { id: string; slug: string; timeZone: string; cycleTimeStart: 'in_progress'; countWeakAiSignals: boolean };
  teams: { id: string; slug: string }[];
  /** Non-bot people and repositories, for writes after planting. */
  people: string[];
  repositories: { id: string; defaultTeamId: string | null }[];
  /** scope (team id, or 'org') → week (Monday) → figures; weeks with nothing planted are absent. Null when not tallied. */
  truth: Map<string, Map<string, PlantedFigures>> | null;
  written: BulkSink['written'];
  /** How rows were loaded: COPY with triggers bypassed or deferred, or createMany (embedded database). */
  load: 'copy, triggers bypassed' | 'copy, rollups deferred' | 'createMany';
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const QUARTER = HOUR / 4;
const PR_CHUNK = 5_000;
const COMMIT_CHUNK = 50_000;

interface Person { id: string; isBot: boolean; memberships: { teamId: string; from: number; to: number | null }[] }
interface Repo { id: string; defaultTeamId: string | null }
interface MergedPr { id: string; mergedAt: Date; author: Person; repo: Repo; firstCommitAt: Date }

const STRONG_AI = [{ kind: 'co_author', tool: 'Claude Code', aiTool: 'claude_code', strength: 'strong', evidence: 'Co-authored-by: Claude <noreply@anthropic.com>' }];
const WEAK_AI = [{ kind: 'mention', tool: 'Claude Code', aiTool: 'claude_code', strength: 'weak', evidence: 'claude code helped' }];

export async function plantTruth(options: PlantOptions = {}): Promise<PlantedOrg> {
  const o = { seed: 1, timeZone: 'America/New_York', start: '2026-02-23', weeks: 8, teams: 3, peoplePerTeam: 6, repos: 4, prs: 300, commits: 1_200, aiShare: 0.3, ticketShare: 0.6, ciPass: { ai: 0.7, human: 0.9 }, truth: true, bypassTriggers: false, ...options };
  const rnd = mulberry32(o.seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  /** Hours from an exponential distribution of this mean, on a quarter hour, at least a quarter. */
  const hours = (mean: number) => Math.max(0.25, Math.round(-Math.log(1 - rnd()) * mean * 4) / 4);
  const plus = (d: Date, h: number) => new Date(d.getTime() + h * HOUR);
  const startMs = Date.parse(`${o.start}T00:00:00Z`);
  const slots = Math.floor((o.weeks * 7 * DAY) / QUARTER);
  const someTime = () => new Date(startMs + Math.floor(rnd() * slots) * QUARTER);

  const org = await db().organization.create({
    data: { slug: `planted-${o.seed}-${randomUUID().slice(0, 8)}`, name: 'Planted truth', isDemo: true, timeZone: o.timeZone, cycleTimeStart: 'in_progress' },
  });
  const orgId = org.id;
  const teams = await Promise.all(Array.from({ length: o.teams }, (_, i) => db().team.create({ data: { orgId, slug: `team-${i + 1}`, name: `Team ${i + 1}` } })));

  // People: members of one team each; every 5th moves to the next team at a time mid-period; the
  // last has no membership (his work falls to the repository's default team); two bots.
  const since = startMs - 90 * DAY;
  const moveAt = startMs + Math.floor(slots / 2) * QUARTER + 13 * HOUR + QUARTER;
  const people: Person[] = [];
  for (let t = 0; t < o.teams; t++) {
    for (let i = 0; i < o.peoplePerTeam; i++) {
      const moves = o.teams > 1 && people.length % 5 === 0;
      const memberships = moves
        ? [{ teamId: teams[t]!.id, from: since, to: moveAt }, { teamId: teams[(t + 1) % o.teams]!.id, from: moveAt, to: null }]
        : [{ teamId: teams[t]!.id, from: since, to: null }];
      people.push({ id: randomUUID(), isBot: false, memberships });
    }
  }
  people.push({ id: randomUUID(), isBot: false, memberships: [] });
  const bots = [0, 1].map(() => ({ id: randomUUID(), isBot: true, memberships: [] }) as Person);
  const humans = people;
  await db().person.createMany({ data: [...humans, ...bots].map((p, i) => ({ orgId, id: p.id, displayName: p.isBot ? `bot-${i}[bot]` : `Person ${i}`, email: p.isBot ? null : `p${i}@planted.test`, isBot: p.isBot })) });
  // Repositories: default teams in turn; with more repositories than teams, the last has none.
  const repos: Repo[] = Array.from({ length: o.repos }, (_, i) => ({ id: randomUUID(), defaultTeamId: o.repos > o.teams && i === o.repos - 1 ? null : teams[i % o.teams]!.id }));
  await db().repository.createMany({ data: repos.map((r, i) => ({ orgId, id: r.id, provider: 'github' as const, owner: 'planted', name: `repo-${i + 1}`, defaultTeamId: r.defaultTeamId })) });

  const tally = o.truth ? new TruthTally() : null;
  const weekOf = weekOfInstant(o.timeZone);
  /** Team of a change (docs/metrics.md): membership at that instant (latest start wins), else the repository's default team. */
  const teamOf = (person: Person | null, at: Date, repo: Repo | null): string | null => {
    const t = at.getTime();
    const m = person?.memberships.filter((x) => x.from <= t && (x.to === null || x.to > t)).sort((a, b) => b.from - a.from)[0];
    return m?.teamId ?? repo?.defaultTeamId ?? null;
  };
  const active = (person: Person | null, at: Date, repo: Repo) => {
    if (person && !person.isBot) tally?.person(teamOf(person, at, repo), weekOf(at), 'engineers', person.id);
  };

  const sink = await BulkSink.open({ bypassTriggers: o.bypassTriggers });
  try {
    for (const p of humans) {
      for (const m of p.memberships) sink.push('TeamMembership', { orgId, id: randomUUID(), teamId: m.teamId, personId: p.id, validFrom: new Date(m.from), validTo: m.to === null ? null : new Date(m.to) });
    }
    // Pull requests, their reviews and tickets.
    let lastMerged: MergedPr | null = null;
    let lastOpen: string | null = null;
    for (let n = 1; n <= o.prs; n++) {
      const author = rnd() < 0.04 ? pick(bots) : pick(humans);
      const repo = pick(repos);
      const id = randomUUID();
      const createdAt = someTime();
      // Commits usually precede the opening; 1 in 10 are pushed to the PR after it was opened.
      const firstCommitAt = rnd() < 0.1 ? plus(createdAt, hours(2)) : plus(createdAt, -hours(20));
      const draftHours = rnd() < 0.25 ? hours(12) : 0;
      const readyAt = plus(createdAt, draftHours);
      const roll = rnd();
      const state = roll < 0.08 ? 'open' : roll < 0.14 ? 'closed' : 'merged';
      const evidence = rnd() < o.aiShare ? STRONG_AI : rnd() < 0.05 ? WEAK_AI : [];
      const isAi = evidence === STRONG_AI;
      const reviewers = humans.filter((p) => p !== author);
      const reviews: { reviewer: Person; state: 'commented' | 'approved'; at: Date }[] = [];
      let mergedAt: Date | null = null;
      let firstHuman: Date | null = null;
      if (state === 'merged') {
        if (rnd() < 0.85) {
          firstHuman = plus(readyAt, hours(8));
          // Most get a comment first and an approval later; the others are approved at once.
          const approvedLater = rnd() < 0.6;
          const approvedAt = approvedLater ? plus(firstHuman, hours(10)) : firstHuman;
          const approver = pick(reviewers);
          if (approvedLater) reviews.push({ reviewer: pick(reviewers), state: 'commented', at: firstHuman });
          reviews.push({ reviewer: approver, state: 'approved', at: approvedAt });
          mergedAt = plus(approvedAt, hours(4));
        } else {
          mergedAt = plus(readyAt, hours(24));
        }
      }
      // A review app comments the moment the PR is ready: it is no human review.
      const botReview = state !== 'open' && rnd() < 0.2;
      if (botReview) reviews.push({ reviewer: pick(bots), state: 'commented', at: readyAt });
      reviews.sort((a, b) => a.at.getTime() - b.at.getTime());
      const closedAt = state === 'closed' ? plus(createdAt, hours(48)) : mergedAt;
      const additions = 1 + Math.floor(rnd() * 400);
      const headSha = plantCi(n, id, repo, author, isAi, createdAt);
      sink.push('PullRequest', {
        orgId, id, repositoryId: repo.id, number: n, title: `Change ${n}`, authorId: author.id, state, isDraft: state === 'open' && draftHours > 0 && rnd() < 0.5,
        createdAt, readyAt: draftHours > 0 || rnd() < 0.5 ? readyAt : null, firstCommitAt,
        firstReviewAt: reviews[0]?.at ?? null, approvedAt: reviews.find((r) => r.state === 'approved')?.at ?? null, mergedAt, closedAt,
        headSha, additions, deletions: Math.floor(rnd() * 100), aiShare: isAi ? 0.5 : null, aiEvidence: evidence,
      });
      reviews.forEach((r, i) => sink.push('Review', { orgId, id: randomUUID(), pullRequestId: id, externalId: `${n}-${i}`, reviewerId: r.reviewer.id, state: r.state, submittedAt: r.at }));

      // Truth of the PR: activity, merged counts and times (bots excluded).
      active(author, createdAt, repo);
      for (const r of reviews) active(r.reviewer, r.at, repo);
      if (state === 'open') lastOpen = id;
      if (mergedAt) {
        active(author, mergedAt, repo);
        if (!author.isBot) {
          const team = teamOf(author, mergedAt, repo);
          const week = weekOf(mergedAt);
          tally?.add(team, week, 'prsMerged');
          if (isAi) tally?.add(team, week, 'aiPrsMerged');
          tally?.sample(team, week, 'prCycleHours', hoursBetween(firstCommitAt < createdAt ? firstCommitAt : createdAt, mergedAt));
          if (firstHuman) {
            tally?.sample(team, week, 'toFirstReviewHours', hoursBetween(readyAt, firstHuman));
            tally?.sample(team, week, 'reviewHours', hoursBetween(firstHuman, mergedAt));
          } else {
            tally?.add(team, week, 'prsMergedWithoutReview');
          }
        }
        const merged: MergedPr = { id, mergedAt, author, repo, firstCommitAt };
        if (!author.isBot && rnd() < o.ticketShare) plantTicket(merged);
        lastMerged = merged;
      }
      if (n % PR_CHUNK === 0) {
        await sink.flush();
        o.onProgress?.({ prs: n, commits: 0 });
      }
    }

    // CI of a pull request (most have some): one or two head commits (a push after the first), each
    // run by 'build' and often 'test'. A workflow's first attempt passes with the chance planted for
    // AI or other PRs; some are cancelled (they judge nothing), a failed one is often re-run (only
    // first attempts count). Returns the last head.
    function plantCi(n: number, prId: string, repo: Repo, author: Person, isAi: boolean, createdAt: Date): string | null {
      if (rnd() < 0.15) return null;
      const heads = rnd() < 0.2 ? 2 : 1;
      let sha = '';
      for (let h = 0; h < heads; h++) {
        sha = `${(n * 4 + h).toString(16).padStart(39, '0')}c`;
        const pushedAt = plus(createdAt, h === 0 ? 0.25 : hours(6));
        let first: Date | null = null;
        let judged = 0;
        let passed = true;
        for (const workflow of rnd() < 0.7 ? ['build', 'test'] : ['build']) {
          const startedAt = plus(pushedAt, Math.floor(rnd() * 4) / 4);
          const roll = rnd();
          const conclusion = roll < 0.05 ? 'cancelled' : roll < 0.08 ? 'skipped' : rnd() < (isAi ? o.ciPass.ai : o.ciPass.human) ? 'success' : rnd() < 0.1 ? 'timed_out' : 'failure';
          const run = (attempt: number, c: string, at: Date) =>
            sink.push('CiRun', {
              orgId, id: randomUUID(), repositoryId: repo.id, provider: 'github_actions', externalId: `${sha}-${workflow}`, runAttempt: attempt, workflow,
              headSha: sha, pullRequestId: prId, status: 'completed', conclusion: c, startedAt: at, completedAt: plus(at, 0.5),
            });
          run(1, conclusion, startedAt);
          if ((conclusion === 'failure' || conclusion === 'timed_out') && rnd() < 0.6) run(2, 'success', plus(startedAt, 1));
          if (conclusion === 'cancelled') continue;
          judged++;
          passed &&= conclusion !== 'failure' && conclusion !== 'timed_out';
          if (!first || startedAt < first) first = startedAt;
        }
        // Truth: a head with a judging first run counts in the week and team of its first start.
        if (!first || !judged || author.isBot) continue;
        const team = teamOf(author, first, repo);
        const week = weekOf(first);
        tally?.add(team, week, 'firstRunHeads');
        if (isAi) tally?.add(team, week, 'firstRunHeadsAi');
        if (passed) tally?.add(team, week, 'firstRunPassed');
        if (passed && isAi) tally?.add(team, week, 'firstRunPassedAi');
      }
      return sha || null;
    }

    // A ticket for a merged PR; sometimes also linked to an earlier merged PR (it ends at the later
    // merge), to an open PR (it has not reached merge), or twice to the same PR (counted once).
    function plantTicket(pr: MergedPr) {
      const id = randomUUID();
      const key = `PLT-${sink.written.Ticket + sink.size('Ticket') + 1}`;
      const linked: MergedPr[] = [pr];
      if (lastMerged && rnd() < 0.1 && lastMerged.mergedAt.getTime() !== pr.mergedAt.getTime()) linked.push(lastMerged);
      const withOpen = lastOpen !== null && rnd() < 0.08;
      const last = linked.reduce((a, b) => (b.mergedAt > a.mergedAt ? b : a));
      const late = rnd() < 0.02;
      const startedAt = late ? plus(last.mergedAt, hours(5)) : rnd() < 0.15 ? null : plus(last.firstCommitAt, -hours(16));
      const createdAt = startedAt ? plus(startedAt, -hours(48)) : plus(last.firstCommitAt, -hours(30));
      const doneAt = rnd() < 0.8 ? plus(last.mergedAt, hours(6)) : null;
      sink.push('Ticket', { orgId, id, source: 'jira', externalId: key, key, title: key, statusCategory: doneAt ? 'done' : 'in_progress', createdAt, startedAt, doneAt });
      for (const p of linked) sink.push('TicketPullRequestLink', { orgId, ticketId: id, pullRequestId: p.id, foundBy: 'branch_name' });
      if (rnd() < 0.1) sink.push('TicketPullRequestLink', { orgId, ticketId: id, pullRequestId: pr.id, foundBy: 'pr_title' });
      if (withOpen) sink.push('TicketPullRequestLink', { orgId, ticketId: id, pullRequestId: lastOpen, foundBy: 'branch_name' });
      if (last.author.isBot) return;
      const team = teamOf(last.author, last.mergedAt, last.repo);
      const start = startedAt ?? createdAt;
      if (!withOpen && last.mergedAt >= start) tally?.sample(team, weekOf(last.mergedAt), 'ticketHours', hoursBetween(start, last.mergedAt));
      if (doneAt) tally?.add(team, weekOf(doneAt), 'ticketsDone');
    }

    // Commits: most land on the default branch; some are merge commits or on other branches
    // (not landed, but their authors were active); some authors are bots or unknown.
    for (let n = 1; n <= o.commits; n++) {
      const roll = rnd();
      const author = roll < 0.04 ? pick(bots) : roll < 0.1 ? null : pick(humans);
      const repo = pick(repos);
      const committedAt = someTime();
      const parentCount = rnd() < 0.04 ? 2 : 1;
      const onDefaultBranch = rnd() < 0.92;
      const additions = Math.floor(rnd() * 300);
      const isAi = rnd() < 0.35;
      const aiAdditions = isAi ? Math.floor(additions * rnd()) : 0;
      sink.push('Commit', {
        orgId, id: randomUUID(), repositoryId: repo.id, sha: n.toString(16).padStart(40, '0'), authorId: author?.id ?? null,
        authoredAt: plus(committedAt, -hours(3)), committedAt, message: isAi ? `Change ${n}\n\nCo-authored-by: Claude <noreply@anthropic.com>` : `Change ${n}`,
        additions, deletions: Math.floor(rnd() * 50), aiAdditions, isAi, aiEvidence: isAi ? STRONG_AI : [], parentCount, onDefaultBranch,
      });
      active(author, committedAt, repo);
      if (onDefaultBranch && parentCount === 1 && !author?.isBot) {
        const team = teamOf(author, committedAt, repo);
        const week = weekOf(committedAt);
        tally?.add(team, week, 'commits');
        tally?.add(team, week, 'linesAdded', additions);
        if (isAi) {
          tally?.add(team, week, 'aiCommits');
          tally?.add(team, week, 'aiLinesAdded', aiAdditions);
        }
      }
      if (n % COMMIT_CHUNK === 0) {
        await sink.flush();
        o.onProgress?.({ prs: o.prs, commits: n });
      }
    }

    // AI usage: a row per person on about half the days (some of zeros: a seat report's idle
    // day), a bot's and an unmatched API key's every day (the org's spend, no team, no user).
    for (let d = 0; d < o.weeks * 7; d++) {
      const day = new Date(startMs + d * DAY);
      const noon = new Date(day.getTime() + 12 * HOUR);
      const rows: { person: Person | null; key: string; idle: boolean }[] = [
        ...humans.filter(() => rnd() < 0.5).map((p) => ({ person: p, key: `${p.id}@planted.test`, idle: rnd() < 0.1 })),
        { person: bots[0]!, key: 'bot@planted.test', idle: false },
        { person: null, key: 'api-key-1', idle: false },
      ];
      for (const r of rows) {
        const t = r.idle ? [0, 0, 0, 0] : [1 + Math.floor(rnd() * 5000), Math.floor(rnd() * 2000), Math.floor(rnd() * 50_000), Math.floor(rnd() * 3000)];
        sink.push('AiUsageDaily', {
          orgId, id: randomUUID(), day, tool: 'claude_code', identityKey: r.key, model: 'claude-sonnet-4', personId: r.person?.id ?? null,
          tokensIn: t[0], tokensOut: t[1], tokensCacheRead: t[2], tokensCacheWrite: t[3], costUsd: r.idle ? 0 : 0.25,
        });
        const tokens = t.reduce((a, b) => a + b, 0);
        // Usage has no repository: a person without membership at noon UTC counts org-wide only.
        const team = r.person && !r.person.isBot ? teamOf(r.person, noon, null) : null;
        tally?.add(team, weekOfDay(day), 'tokens', tokens);
        if (r.person && !r.person.isBot && tokens > 0) tally?.person(team, weekOfDay(day), 'aiUsers', r.person.id);
      }
    }
    await sink.flush();
  } finally {
    await sink.close();
  }

  return {
    org: { id: orgId, slug: org.slug, timeZone: o.timeZone, cycleTimeStart: 'in_progress', countWeakAiSignals: false },
    teams: teams.map((t) => ({ id: t.id, slug: t.slug })),
    people: humans.map((p) => p.id),
    repositories: repos,
    truth: tally?.figures() ?? null,
    written: sink.written,
    load: sink.bypassed ? 'copy, triggers bypassed' : sink.copying ? 'copy, rollups deferred' : 'createMany',
  };
}

export { ORG };
