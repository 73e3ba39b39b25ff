import type { CiConclusion, ReviewState } from '../db/generated/client.ts';
import type { Random } from './random.ts';
import { BOTS, REPOS, teamInWeek, type EngineerDef, type RepoDef } from './roster.ts';
import { testSuiteGrowth, teamWeek, type TeamWeek } from './story.ts';
import { aiTrailer, choreTitle, dependencyBump, followUpCommit, reviewBody, reviewComment, testName, ticketSubject } from './text.ts';
import { addWorkHours, DAY, HOUR, WEEK } from './work-hours.ts';

// Simulates the work of the demo window as drafts: what each engineer and bot did and when, with
// times in epoch milliseconds. Keys, PR numbers and ids are given later (build-rows.ts), once
// everything can be ordered by time. People are indexes: engineers first, then BOTS.

export interface CommitDraft {
  sha: string;
  at: number;
  additions: number;
  deletions: number;
  aiAdditions: number;
  message: string;
  trailer: string | null;
}

export interface ReviewDraft {
  reviewer: number;
  state: ReviewState;
  at: number;
  body: string | null;
  comments: { body: string; path: string }[];
}

export interface TestDraft {
  total: number;
  failed: number;
  skipped: number;
  durationMs: number;
  failingTests: string[];
  flakyTests: string[];
}

export interface CiRunDraft {
  workflow: string;
  /** Shared by the attempts of one run. */
  runKey: number;
  attempt: number;
  startedAt: number;
  completedAt: number | null;
  conclusion: CiConclusion | null;
  tests: TestDraft | null;
}

export interface TicketDraft {
  team: string;
  assignee: number | null;
  type: string;
  subject: string;
  createdAt: number;
  startedAt: number | null;
  doneAt: number | null;
  prs: PrDraft[];
}

export interface PrDraft {
  kind: 'ticket' | 'chore' | 'bot';
  repo: RepoDef;
  author: number;
  /** Who pressed merge (the author, or for bot PRs the approving reviewer). */
  merger: number;
  ticket: TicketDraft | null;
  linkedBy: 'branch_name' | 'pr_title';
  /** Ticket PRs get their title from the ticket key later; chores and bots have it now. */
  subject: string;
  branch: string | null;
  body: string | null;
  commits: CommitDraft[];
  createdAt: number;
  readyAt: number | null;
  firstReviewAt: number | null;
  approvedAt: number | null;
  mergedAt: number | null;
  closedAt: number | null;
  reviews: ReviewDraft[];
  ciRuns: CiRunDraft[];
}

export interface Activity {
  tickets: TicketDraft[];
  prs: PrDraft[];
}

interface Sim {
  rand: Random;
  engineers: readonly EngineerDef[];
  start: number;
  weeks: number;
  horizon: number;
  /** Engineers at work per week per team. */
  present: Map<string, number[]>[];
  nextRunKey: number;
  releaseMinor: number;
}

interface PrPlan {
  kind: 'ticket' | 'chore';
  author: number;
  team: string;
  week: number;
  repo: RepoDef;
  firstCommitAt: number;
  ai: boolean;
  lines: number;
  subject: string;
  ticket: TicketDraft | null;
  abandon: boolean;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function repo(name: string): RepoDef {
  const found = REPOS.find((r) => r.name === name);
  if (!found) throw new Error(`Unknown demo repository ${name}`);
  return found;
}

function chooseRepo(rand: Random, team: string): RepoDef {
  const own = REPOS.filter((r) => r.team === team && r.name !== 'shared-libs');
  const sharedShare = team === 'platform' ? 0.3 : 0.15;
  return rand.chance(sharedShare) || own.length === 0 ? repo('shared-libs') : rand.pick(own);
}

function reviewersFor(sim: Sim, team: string, week: number, author: number): number[] {
  const pool = (sim.present[week]?.get(team) ?? []).filter((i) => i !== author);
  return pool.length > 0 ? pool : sim.engineers.map((_, i) => i).filter((i) => i !== author);
}

function splitLines(rand: Random, total: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => 0.3 + rand.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => Math.max(1, Math.round((total * w) / sum)));
}

function simulateCi(sim: Sim, plan: { repo: RepoDef; team: string; week: number }, workflow: string, at: number, passChance: number) {
  const { rand } = sim;
  const runKey = sim.nextRunKey++;
  const runs: CiRunDraft[] = [];
  const suite = workflow === 'ci' ? Math.round(plan.repo.tests * testSuiteGrowth(plan.repo.team, plan.week, sim.weeks)) : 0;
  let startedAt = at + rand.int(20, 150) * 1000;
  let earlierFailures: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const pass = rand.chance(attempt === 1 ? passChance : attempt === 2 ? 0.88 : 1);
    const completedAt = startedAt + rand.lognormal(workflow === 'ci' ? 9 : 2, 0.3) * 60_000;
    let tests: TestDraft | null = null;
    if (suite > 0) {
      const failingTests = pass ? [] : Array.from({ length: rand.int(1, 3) }, () => testName(rand, rand.pick(plan.repo.paths)));
      tests = {
        total: suite,
        failed: failingTests.length,
        skipped: rand.int(0, 12),
        durationMs: Math.round(suite * rand.lognormal(95, 0.15)),
        failingTests,
        flakyTests: pass ? earlierFailures : [],
      };
      earlierFailures = [...earlierFailures, ...failingTests];
    }
    runs.push({ workflow, runKey, attempt, startedAt, completedAt, conclusion: pass ? 'success' : 'failure', tests });
    if (pass) return { runs, greenAt: completedAt };
    // Someone notices the red check and re-runs it.
    startedAt = addWorkHours(completedAt, rand.lognormal(0.8, 0.8));
  }
}

/** Drops everything after the horizon: later reviews, runs and merges have not happened yet. */
function cutAtHorizon(pr: PrDraft, horizon: number): void {
  const cut = (t: number | null) => (t !== null && t <= horizon ? t : null);
  pr.readyAt = cut(pr.readyAt);
  pr.firstReviewAt = cut(pr.firstReviewAt);
  pr.approvedAt = cut(pr.approvedAt);
  pr.mergedAt = cut(pr.mergedAt);
  pr.closedAt = cut(pr.closedAt);
  pr.reviews = pr.reviews.filter((r) => r.at <= horizon);
  pr.ciRuns = pr.ciRuns
    .filter((r) => r.startedAt <= horizon)
    .map((r) => (r.completedAt !== null && r.completedAt > horizon ? { ...r, completedAt: null, conclusion: null, tests: null } : r));
}

function simulatePr(sim: Sim, plan: PrPlan, P: TeamWeek): PrDraft {
  const { rand } = sim;
  const engineer = sim.engineers[plan.author];
  const nCommits = plan.ai
    ? rand.weighted([[2, 20], [3, 30], [4, 25], [5, 15], [6, 10]] as const)
    : rand.weighted([[1, 30], [2, 30], [3, 25], [4, 15]] as const);
  const lines = splitLines(rand, plan.lines, nCommits);
  const commits: CommitDraft[] = [];
  let at = plan.firstCommitAt;
  for (const [k, additions] of lines.entries()) {
    if (k > 0) at = addWorkHours(at, rand.lognormal(P.commitGapHours, 0.7));
    const tool = plan.ai && (k === 0 || rand.chance(0.75)) ? engineer?.tool : null;
    commits.push({
      sha: rand.hex(40),
      at,
      additions,
      deletions: Math.round(additions * rand.lognormal(0.3, 0.7)),
      aiAdditions: tool ? Math.round(additions * (0.6 + 0.35 * rand.next())) : 0,
      message: k === 0 ? plan.subject : followUpCommit(rand, plan.team),
      trailer: tool ? aiTrailer(tool) : null,
    });
  }
  const additions = lines.reduce((a, b) => a + b, 0);
  const createdAt = addWorkHours(at, rand.lognormal(0.3, 0.8));
  const readyAt = rand.chance(0.12) ? addWorkHours(createdAt, rand.lognormal(2, 0.7)) : createdAt;

  const ci = simulateCi(sim, plan, 'ci', createdAt, plan.ai ? P.ciPass.ai : P.ciPass.human);
  const lint = plan.repo.hasLint ? simulateCi(sim, plan, 'lint', createdAt, 0.95) : null;
  const greenAt = Math.max(ci.greenAt, lint?.greenAt ?? 0);

  const pr: PrDraft = {
    kind: plan.kind,
    repo: plan.repo,
    author: plan.author,
    merger: plan.author,
    ticket: plan.ticket,
    linkedBy: rand.chance(0.85) ? 'branch_name' : 'pr_title',
    subject: plan.subject,
    branch: null,
    body: null,
    commits,
    createdAt,
    readyAt,
    firstReviewAt: null,
    approvedAt: null,
    mergedAt: null,
    closedAt: null,
    reviews: [],
    ciRuns: [...ci.runs, ...(lint?.runs ?? [])],
  };

  const reviewers = reviewersFor(sim, plan.team, plan.week, plan.author);
  const first = rand.pick(reviewers);
  const sizeFactor = clamp((additions / 100) ** 0.3, 0.6, 2.2);
  const bigAi = plan.ai && additions > 250;
  const firstReviewAt = addWorkHours(readyAt, rand.lognormal(P.pickupHours * sizeFactor, 0.9));
  const comments = (n: number) => Array.from({ length: n }, () => ({ body: reviewComment(rand), path: rand.pick(plan.repo.paths) }));

  if (plan.abandon) {
    pr.closedAt = addWorkHours(createdAt, rand.lognormal(16, 1));
    if (rand.chance(0.5) && firstReviewAt < pr.closedAt) {
      pr.firstReviewAt = firstReviewAt;
      const body = reviewBody(rand, 'commented', bigAi);
      pr.reviews.push({ reviewer: first, state: 'commented', at: firstReviewAt, body, comments: comments(rand.int(0, 2)) });
    }
    cutAtHorizon(pr, sim.horizon);
    return pr;
  }

  const changes = rand.chance(plan.ai ? P.changesRequested.ai : P.changesRequested.human);
  const firstState = changes ? 'changes_requested' : rand.chance(0.25) ? 'commented' : 'approved';
  const approvedAt =
    firstState === 'approved'
      ? firstReviewAt
      : addWorkHours(firstReviewAt, rand.lognormal(P.iterationHours * (changes ? 1 : 0.3) * sizeFactor, 0.8));
  pr.firstReviewAt = firstReviewAt;
  pr.approvedAt = approvedAt;
  pr.reviews.push({
    reviewer: first,
    state: firstState,
    at: firstReviewAt,
    body: reviewBody(rand, firstState, bigAi),
    comments: comments(changes ? rand.int(1, 3) : firstState === 'commented' ? rand.int(0, 2) : rand.chance(0.2) ? 1 : 0),
  });
  const others = reviewers.filter((i) => i !== first);
  if (others.length > 0 && rand.chance(0.3)) {
    const at2 = Math.min(approvedAt, addWorkHours(firstReviewAt, rand.lognormal(1, 0.8)));
    const reviewer = rand.pick(others);
    const body = reviewBody(rand, 'commented', bigAi);
    pr.reviews.push({ reviewer, state: 'commented', at: at2, body, comments: comments(rand.int(0, 2)) });
  }
  if (firstState !== 'approved') {
    pr.reviews.push({ reviewer: first, state: 'approved', at: approvedAt, body: reviewBody(rand, 'approved', bigAi), comments: [] });
  }
  pr.mergedAt = addWorkHours(Math.max(approvedAt, greenAt), rand.lognormal(P.mergeHours, 0.8));
  if (rand.chance(0.15)) pr.merger = first;
  cutAtHorizon(pr, sim.horizon);
  return pr;
}

/** A random moment of the working week starting at weekStart. */
function workMoment(rand: Random, weekStart: number): number {
  return weekStart + rand.int(0, 4) * DAY + (9 + 8.5 * rand.next()) * HOUR;
}

function usesAi(engineer: EngineerDef, week: number): boolean {
  return engineer.aiFrom !== null && week >= engineer.aiFrom;
}

function simulateTicketWork(sim: Sim, out: Activity, author: number, week: number, startedAt: number, prCount: number): void {
  const { rand } = sim;
  const engineer = sim.engineers[author];
  if (!engineer) return;
  const team = teamInWeek(engineer, week);
  const P = teamWeek(team, week, sim.weeks);
  const { type, subject } = ticketSubject(rand, team);
  let createdAt = addWorkHours(startedAt, -rand.lognormal(25, 1));
  if (createdAt < sim.start) {
    // Keep times inside the window: such a ticket was created some time between its start and the
    // window's (a week holds 45 working hours).
    const workHoursSinceStart = ((startedAt - sim.start) / WEEK) * 45;
    createdAt = Math.max(sim.start + 9 * HOUR, addWorkHours(startedAt, -rand.next() * workHoursSinceStart));
  }
  const ticket: TicketDraft = { team, assignee: author, type, subject, createdAt, startedAt, doneAt: null, prs: [] };
  out.tickets.push(ticket);

  const firstRepo = chooseRepo(rand, team);
  let firstCommitAt = addWorkHours(startedAt, rand.lognormal(1, 0.8));
  let merged = 0;
  for (let part = 1; part <= prCount; part++) {
    const ai = usesAi(engineer, week) && rand.chance(P.aiPrChance);
    const lines = Math.round(rand.lognormal(ai ? P.aiLines : P.humanLines, 0.8) * (part === 1 ? 1 : 0.6));
    const pr = simulatePr(
      sim,
      {
        kind: 'ticket',
        author,
        team,
        week,
        repo: part === 1 || rand.chance(0.7) ? firstRepo : chooseRepo(rand, team),
        firstCommitAt,
        ai,
        lines: clamp(lines, 3, 2500),
        subject: part === 1 ? subject : `Follow-up: ${subject.charAt(0).toLowerCase()}${subject.slice(1)}`,
        ticket,
        abandon: false,
      },
      P,
    );
    if (pr.createdAt > sim.horizon) break;
    out.prs.push(pr);
    ticket.prs.push(pr);
    if (pr.mergedAt !== null) merged++;
    firstCommitAt = addWorkHours(pr.createdAt, rand.lognormal(3, 0.7));
  }
  if (merged === prCount) {
    const lastMerge = Math.max(...ticket.prs.map((p) => p.mergedAt ?? 0));
    const doneAt = addWorkHours(lastMerge, rand.lognormal(0.15, 1));
    if (doneAt <= sim.horizon) ticket.doneAt = doneAt;
  }
}

function simulateChore(sim: Sim, out: Activity, author: number, week: number, firstCommitAt: number): void {
  const { rand } = sim;
  const engineer = sim.engineers[author];
  if (!engineer) return;
  const team = teamInWeek(engineer, week);
  const P = teamWeek(team, week, sim.weeks);
  const ai = usesAi(engineer, week) && rand.chance(P.aiPrChance / 2);
  const pr = simulatePr(
    sim,
    {
      kind: 'chore',
      author,
      team,
      week,
      repo: chooseRepo(rand, team),
      firstCommitAt,
      ai,
      lines: clamp(Math.round(rand.lognormal(20, 0.9)), 1, 600),
      subject: choreTitle(rand, team),
      ticket: null,
      abandon: rand.chance(0.1),
    },
    P,
  );
  if (pr.createdAt <= sim.horizon) out.prs.push(pr);
}

function simulateBotPr(sim: Sim, out: Activity, bot: number, week: number, repoDef: RepoDef, createdAt: number): void {
  const { rand } = sim;
  const botDef = BOTS[bot];
  if (!botDef) return;
  const author = sim.engineers.length + bot;
  let subject: string;
  let branch: string;
  let body: string;
  let closable = true;
  if (botDef.login === 'github-actions[bot]') {
    const version = `3.${sim.releaseMinor++}.0`;
    subject = `chore(main): release ${version}`;
    branch = 'release-please--branches--main';
    body = `:robot: I have created a release *beep* *boop*\n\n## ${version}\n\nThis PR was generated with Release Please.`;
    closable = false;
  } else {
    const { pkg, from, to } = dependencyBump(rand, repoDef.name);
    if (botDef.login === 'renovate[bot]') {
      subject = `chore(deps): update dependency ${pkg} to v${to}`;
      branch = `renovate/${pkg.replace(/[@/]/g, '-').replace(/^-/, '')}-${to.split('.')[0]}.x`;
      body = `This PR contains the following updates:\n\n| Package | Change |\n|---|---|\n| ${pkg} | \`${from}\` -> \`${to}\` |`;
    } else {
      subject = `Bump ${pkg} from ${from} to ${to}`;
      branch = `dependabot/${repoDef.name === 'platform-infra' ? 'go_modules' : 'npm_and_yarn'}/${pkg}-${to}`;
      body = `Bumps ${pkg} from ${from} to ${to}.\n\nDependabot will resolve any conflicts with this PR as long as you don't alter it.`;
    }
  }
  const additions = rand.int(2, 40);
  const commitAt = createdAt - rand.int(20, 60) * 1000;
  const signOff = botDef.login === 'dependabot[bot]' ? '\n\nSigned-off-by: dependabot[bot] <support@github.com>' : '';
  const ci = simulateCi(sim, { repo: repoDef, team: repoDef.team, week }, 'ci', createdAt, 0.9);
  const pr: PrDraft = {
    kind: 'bot',
    repo: repoDef,
    author,
    merger: author,
    ticket: null,
    linkedBy: 'branch_name',
    subject,
    branch,
    body,
    commits: [
      {
        sha: rand.hex(40), at: commitAt, additions, deletions: Math.max(1, additions - rand.int(0, 3)), aiAdditions: 0,
        message: subject + signOff, trailer: null,
      },
    ],
    createdAt,
    readyAt: createdAt,
    firstReviewAt: null,
    approvedAt: null,
    mergedAt: null,
    closedAt: null,
    reviews: [],
    ciRuns: ci.runs,
  };
  if (closable && rand.chance(0.15)) {
    // Superseded by the next week's bump.
    pr.closedAt = createdAt + WEEK + rand.int(1, 30) * 60_000;
  } else {
    const reviewer = rand.pick(reviewersFor(sim, repoDef.team, week, author));
    const approvedAt = addWorkHours(createdAt, rand.lognormal(5, 0.9));
    pr.firstReviewAt = approvedAt;
    pr.approvedAt = approvedAt;
    pr.reviews.push({ reviewer, state: 'approved', at: approvedAt, body: null, comments: [] });
    pr.mergedAt = addWorkHours(Math.max(approvedAt, ci.greenAt), rand.lognormal(0.2, 0.8));
    pr.merger = reviewer;
  }
  cutAtHorizon(pr, sim.horizon);
  if (pr.createdAt <= sim.horizon) out.prs.push(pr);
}

function simulateBots(sim: Sim, out: Activity, week: number): void {
  const { rand } = sim;
  const weekStart = sim.start + week * WEEK;
  // Dependency bots run on a Monday-morning schedule; releases go out during the working week.
  const dependabotRepos = REPOS.filter((r) => r.name !== 'mobile-app');
  for (let n = rand.poisson(1.3); n > 0; n--) {
    simulateBotPr(sim, out, 0, week, rand.pick(dependabotRepos), weekStart + 5 * HOUR + rand.next() * HOUR);
  }
  for (let n = rand.poisson(0.6); n > 0; n--) {
    simulateBotPr(sim, out, 1, week, repo('mobile-app'), weekStart + 4 * HOUR + rand.next() * HOUR);
  }
  for (let n = rand.poisson(0.5); n > 0; n--) {
    simulateBotPr(sim, out, 2, week, repo('shared-libs'), weekStart + rand.int(0, 4) * DAY + (10 + 7 * rand.next()) * HOUR);
  }
}

function simulateBacklog(sim: Sim, out: Activity, week: number): void {
  const { rand } = sim;
  const weekStart = sim.start + week * WEEK;
  for (const team of ['payments', 'platform', 'mobile', 'growth']) {
    for (let n = rand.poisson(0.5); n > 0; n--) {
      const { type, subject } = ticketSubject(rand, team);
      const createdAt = workMoment(rand, weekStart);
      out.tickets.push({ team, assignee: null, type, subject, createdAt, startedAt: null, doneAt: null, prs: [] });
    }
  }
}

export function simulateActivity(rand: Random, engineers: readonly EngineerDef[], window: { start: number; weeks: number; horizon: number }): Activity {
  const { start, weeks, horizon } = window;
  const present = Array.from({ length: weeks }, (_, week) => {
    const byTeam = new Map<string, number[]>();
    engineers.forEach((e, i) => {
      if (e.vacationWeeks.has(week)) return;
      const team = teamInWeek(e, week);
      byTeam.set(team, [...(byTeam.get(team) ?? []), i]);
    });
    return byTeam;
  });
  const sim: Sim = { rand, engineers, start, weeks, horizon, present, nextRunKey: 0, releaseMinor: 8 };
  const out: Activity = { tickets: [], prs: [] };
  for (let week = 0; week < weeks; week++) {
    const weekStart = start + week * WEEK;
    engineers.forEach((engineer, author) => {
      if (engineer.vacationWeeks.has(week)) return;
      const P = teamWeek(teamInWeek(engineer, week), week, weeks);
      // A work item is a chore PR, a ticket with one PR, or a ticket with a follow-up PR (1.15 PRs on
      // average). People keep a steady pace, so the count varies by at most one around the mean.
      const items = Math.floor((P.prsPerEngineer * engineer.pace) / 1.15 + rand.next());
      const starts = Array.from({ length: items }, () => workMoment(rand, weekStart)).sort((a, b) => a - b);
      for (const at of starts) {
        const kind = rand.weighted([['chore', 12], ['single', 73], ['double', 15]] as const);
        if (kind === 'chore') simulateChore(sim, out, author, week, at);
        else simulateTicketWork(sim, out, author, week, at, kind === 'double' ? 2 : 1);
      }
    });
    simulateBots(sim, out, week);
    simulateBacklog(sim, out, week);
  }
  // Tickets not yet created at the horizon do not exist; one not yet started is still to do. (Such
  // tickets have no PRs: their work would begin after the horizon.)
  for (const t of out.tickets) if (t.startedAt !== null && t.startedAt > horizon) t.startedAt = null;
  out.tickets = out.tickets.filter((t) => t.createdAt <= horizon);
  return out;
}
