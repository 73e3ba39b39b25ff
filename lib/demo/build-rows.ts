import { randomUUID } from 'node:crypto';
import { detectCommitSignals } from '../attribution/detect.ts';
import { simulateActivity, type CiRunDraft, type PrDraft, type TicketDraft } from './activity.ts';
import { simulateAiUsage } from './ai-usage.ts';
import type { InsertRow } from './insert-rows.ts';
import { createRandom, type Random } from './random.ts';
import { BOTS, buildRoster, REPOS, TEAMS, type EngineerDef } from './roster.ts';
import { HARNESS_TEAM, storyWeeks } from './story.ts';
import { slugify } from './text.ts';
import { HOUR, toDate, WEEK } from './work-hours.ts';

// Turns the simulated drafts into table rows: gives ids, ticket keys and PR numbers in
// time order, and writes titles, branches and URLs. Ids are random; everything else follows from
// the seed.

export interface DemoRows {
  teams: InsertRow<'Team'>[];
  people: InsertRow<'Person'>[];
  identities: InsertRow<'Identity'>[];
  teamMemberships: InsertRow<'TeamMembership'>[];
  repositories: InsertRow<'Repository'>[];
  tickets: InsertRow<'Ticket'>[];
  pullRequests: InsertRow<'PullRequest'>[];
  commits: InsertRow<'Commit'>[];
  pullRequestCommits: InsertRow<'PullRequestCommit'>[];
  ticketLinks: InsertRow<'TicketPullRequestLink'>[];
  reviews: InsertRow<'Review'>[];
  reviewComments: InsertRow<'ReviewComment'>[];
  ciRuns: InsertRow<'CiRun'>[];
  testResults: InsertRow<'TestResultSummary'>[];
  aiUsage: InsertRow<'AiUsageDaily'>[];
  annotations: InsertRow<'Annotation'>[];
}

const OWNER = 'acme';
const JIRA = 'https://acme.atlassian.net/browse';

/** The AI signals of a demo commit's trailer, as ingest would record them (tool, strength, the line itself). */
const signalsOf = new Map<string, ReturnType<typeof detectCommitSignals>>();
function trailerSignals(trailer: string | null) {
  if (!trailer) return [];
  if (!signalsOf.has(trailer)) signalsOf.set(trailer, detectCommitSignals({ message: trailer }));
  return signalsOf.get(trailer)!.map((s) => ({ ...s }));
}

function byTime<T>(items: readonly T[], time: (item: T) => number): T[] {
  return [...items].sort((a, b) => time(a) - time(b));
}

interface Person {
  id: string;
  name: string;
  email: string;
  login: string;
}

function buildPeopleRows(orgId: string, engineers: readonly EngineerDef[], since: Date, rows: DemoRows): Person[] {
  const people: Person[] = [];
  for (const e of engineers) {
    const id = randomUUID();
    people.push({ id, name: e.displayName, email: e.email, login: e.login });
    rows.people.push({ orgId, id, displayName: e.displayName, email: e.email, createdAt: since });
    rows.identities.push(
      { orgId, id: randomUUID(), personId: id, provider: 'github', externalId: String(e.githubId), login: e.login, email: e.email },
      { orgId, id: randomUUID(), personId: id, provider: 'git_email', externalId: e.email, email: e.email },
      { orgId, id: randomUUID(), personId: id, provider: 'jira', externalId: e.jiraAccountId, email: e.email },
    );
    if (e.tool) rows.identities.push({ orgId, id: randomUUID(), personId: id, provider: e.tool, externalId: e.email, email: e.email });
  }
  for (const bot of BOTS) {
    const id = randomUUID();
    people.push({ id, name: bot.login, email: bot.email, login: bot.login });
    rows.people.push({ orgId, id, displayName: bot.login, email: bot.email, isBot: true, createdAt: since });
    rows.identities.push(
      { orgId, id: randomUUID(), personId: id, provider: 'github', externalId: String(bot.githubId), login: bot.login },
      { orgId, id: randomUUID(), personId: id, provider: 'git_email', externalId: bot.email, email: bot.email },
    );
  }
  return people;
}

function ticketStatus(ticket: TicketDraft): { statusCategory: 'todo' | 'in_progress' | 'done'; statusName: string } {
  if (ticket.doneAt !== null) return { statusCategory: 'done', statusName: 'Done' };
  if (ticket.startedAt === null) return { statusCategory: 'todo', statusName: 'To Do' };
  return { statusCategory: 'in_progress', statusName: ticket.prs.length > 0 ? 'In Review' : 'In Progress' };
}

function buildTicketRows(orgId: string, tickets: readonly TicketDraft[], people: readonly Person[], rows: DemoRows) {
  const keys = new Map<TicketDraft, { id: string; key: string }>();
  const next = new Map(TEAMS.map((t) => [t.slug, t.firstTicket]));
  byTime(tickets, (t) => t.createdAt).forEach((ticket, rank) => {
    const team = TEAMS.find((t) => t.slug === ticket.team);
    if (!team) throw new Error(`Unknown demo team ${ticket.team}`);
    const number = next.get(team.slug) ?? 1;
    next.set(team.slug, number + 1);
    const key = `${team.project}-${number}`;
    const id = randomUUID();
    keys.set(ticket, { id, key });
    const lastPr = Math.max(0, ...ticket.prs.map((p) => p.createdAt));
    rows.tickets.push({
      orgId,
      id,
      source: 'jira',
      externalId: String(48_200 + rank),
      key,
      title: ticket.subject,
      type: ticket.type,
      ...ticketStatus(ticket),
      url: `${JIRA}/${key}`,
      assigneeId: ticket.assignee === null ? null : people[ticket.assignee]?.id,
      createdAt: toDate(ticket.createdAt),
      startedAt: ticket.startedAt === null ? null : toDate(ticket.startedAt),
      doneAt: ticket.doneAt === null ? null : toDate(ticket.doneAt),
      sourceUpdatedAt: toDate(ticket.doneAt ?? Math.max(ticket.startedAt ?? ticket.createdAt, lastPr)),
    });
  });
  return keys;
}

/** Title and branch of a PR; ticket PRs name their ticket in the branch or, less often, the title. */
function nameTicketPr(rand: Random, pr: PrDraft, key: string, login: string): { title: string; branch: string } {
  const slug = slugify(pr.subject);
  if (pr.linkedBy === 'branch_name') {
    return { title: pr.subject, branch: rand.chance(0.3) ? `${login}/${key}-${slug}` : `${key}-${slug}` };
  }
  return { title: rand.chance(0.5) ? `[${key}] ${pr.subject}` : `${key}: ${pr.subject}`, branch: `${login}/${slug}` };
}

function prBody(rand: Random, pr: PrDraft, claude: boolean): string | null {
  if (pr.body !== null || pr.kind === 'bot') return pr.body;
  if (pr.kind === 'chore' && rand.chance(0.6)) return null;
  const testing = rand.pick(['Unit tests', 'Tested on staging', 'Added an integration test', 'Manual QA on a dev build']);
  const footer = claude && rand.chance(0.7) ? '\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)' : '';
  return `## Summary\n${pr.subject}.\n\n## Testing\n- ${testing}${footer}`;
}

interface RunContext {
  run: CiRunDraft;
  prId: string;
  repositoryId: string;
  repoName: string;
  headSha: string;
  headBranch: string;
}

export function buildDemoRows(orgId: string, options: { seed: number; start: Date; weeks: number; horizon: Date }): DemoRows {
  const { seed, weeks } = options;
  const start = options.start.getTime();
  const rand = createRandom(seed);
  const engineers = buildRoster(rand, weeks);
  const horizon = options.horizon.getTime();
  const activity = simulateActivity(rand, engineers, { start, weeks, horizon });
  const usage = simulateAiUsage(rand, engineers, { start, weeks, horizon });
  const since = options.start;

  const rows: DemoRows = {
    teams: [], people: [], identities: [], teamMemberships: [], repositories: [], tickets: [], pullRequests: [], commits: [],
    pullRequestCommits: [], ticketLinks: [], reviews: [], reviewComments: [], ciRuns: [], testResults: [], aiUsage: [], annotations: [],
  };

  const teamIds = new Map(TEAMS.map((t) => [t.slug, randomUUID()]));
  const teamId = (slug: string) => {
    const id = teamIds.get(slug);
    if (!id) throw new Error(`Unknown demo team ${slug}`);
    return id;
  };
  for (const t of TEAMS) rows.teams.push({ orgId, id: teamId(t.slug), slug: t.slug, name: t.name, createdAt: since });

  const people = buildPeopleRows(orgId, engineers, since, rows);
  const person = (index: number) => {
    const p = people[index];
    if (!p) throw new Error(`Unknown demo person ${index}`);
    return p;
  };
  engineers.forEach((e, i) => {
    e.stints.forEach((stint, s) => {
      const nextStint = e.stints[s + 1];
      rows.teamMemberships.push({
        orgId,
        id: randomUUID(),
        teamId: teamId(stint.team),
        personId: person(i).id,
        validFrom: new Date(start + stint.fromWeek * WEEK),
        validTo: nextStint ? new Date(start + nextStint.fromWeek * WEEK) : null,
      });
    });
  });

  const repoIds = new Map(REPOS.map((r) => [r.name, randomUUID()]));
  const repoId = (name: string) => repoIds.get(name) ?? '';
  for (const r of REPOS) {
    rows.repositories.push({
      orgId, id: repoId(r.name), provider: 'github', externalId: String(r.githubId), owner: OWNER, name: r.name,
      defaultBranch: 'main', defaultTeamId: teamId(r.team), url: `https://github.com/${OWNER}/${r.name}`, createdAt: since,
    });
  }

  const tickets = buildTicketRows(orgId, activity.tickets, people, rows);

  // PR numbers follow creation order per repository, with the odd gap where an issue took a number.
  const numbers = new Map<PrDraft, number>();
  for (const r of REPOS) {
    let n = r.firstNumber;
    for (const pr of byTime(activity.prs.filter((p) => p.repo === r), (p) => p.createdAt)) {
      numbers.set(pr, n);
      n += rand.chance(0.15) ? rand.int(2, 4) : 1;
    }
  }

  const runs: RunContext[] = [];
  let prExternalId = 2_104_000_000;
  let reviewExternalId = 2_630_000_000;
  let commentExternalId = 1_980_000_000;
  for (const pr of byTime(activity.prs, (p) => p.createdAt)) {
    const id = randomUUID();
    const number = numbers.get(pr) ?? 0;
    const author = person(pr.author);
    const ticket = pr.ticket ? tickets.get(pr.ticket) : undefined;
    const named = ticket
      ? nameTicketPr(rand, pr, ticket.key, author.login)
      : { title: pr.subject, branch: pr.branch ?? `chore/${slugify(pr.subject.replace(/^[a-z]+: /, ''))}` };
    const merged = pr.mergedAt !== null;
    const repositoryId = repoId(pr.repo.name);
    const url = `https://github.com/${OWNER}/${pr.repo.name}/pull/${number}`;
    const claude = pr.commits.some((c) => c.trailer?.includes('Claude'));

    for (const c of pr.commits) {
      const commitId = randomUUID();
      rows.commits.push({
        orgId, id: commitId, repositoryId, sha: c.sha, authorId: author.id, authorEmail: author.email, authorName: author.name,
        authoredAt: toDate(c.at), committedAt: toDate(c.at), message: c.trailer ? `${c.message}\n\n${c.trailer}` : c.message,
        additions: c.additions, deletions: c.deletions, aiAdditions: c.aiAdditions, isAi: c.trailer !== null,
        aiEvidence: trailerSignals(c.trailer), parentCount: 1, onDefaultBranch: merged,
      });
      rows.pullRequestCommits.push({ orgId, pullRequestId: id, commitId });
    }
    let mergeCommitSha: string | null = null;
    if (pr.mergedAt !== null) {
      const merger = person(pr.merger);
      mergeCommitSha = rand.hex(40);
      rows.commits.push({
        orgId, id: randomUUID(), repositoryId, sha: mergeCommitSha, authorId: merger.id, authorEmail: merger.email, authorName: merger.name,
        authoredAt: toDate(pr.mergedAt), committedAt: toDate(pr.mergedAt),
        message: `Merge pull request #${number} from ${OWNER}/${named.branch}\n\n${named.title}`, additions: 0, deletions: 0,
        parentCount: 2, onDefaultBranch: true,
      });
    }

    const additions = pr.commits.reduce((sum, c) => sum + c.additions, 0);
    const deletions = pr.commits.reduce((sum, c) => sum + c.deletions, 0);
    const aiAdditions = pr.commits.reduce((sum, c) => sum + c.aiAdditions, 0);
    const headSha = pr.commits[pr.commits.length - 1]?.sha ?? null;
    const times = (t: number | null) => (t === null ? null : toDate(t));
    const lastEvent = Math.max(pr.createdAt, pr.readyAt ?? 0, pr.mergedAt ?? 0, pr.closedAt ?? 0, ...pr.reviews.map((r) => r.at));
    prExternalId += rand.int(20_000, 400_000);
    rows.pullRequests.push({
      orgId, id, repositoryId, number, externalId: String(prExternalId), title: named.title, body: prBody(rand, pr, claude), url,
      authorId: author.id, state: merged ? 'merged' : pr.closedAt !== null ? 'closed' : 'open', isDraft: pr.readyAt === null,
      headBranch: named.branch, baseBranch: 'main', headSha, mergeCommitSha,
      createdAt: toDate(pr.createdAt), readyAt: times(pr.readyAt), firstCommitAt: times(pr.commits[0]?.at ?? null),
      firstReviewAt: times(pr.firstReviewAt), approvedAt: times(pr.approvedAt), mergedAt: times(pr.mergedAt), closedAt: times(pr.closedAt),
      additions, deletions,
      changedFiles: Math.min(additions + deletions, Math.max(1, Math.round((additions / 30) * rand.lognormal(1, 0.4)) + 1)),
      aiShare: additions > 0 ? aiAdditions / additions : null,
      aiEvidence: pr.commits.flatMap((c) => trailerSignals(c.trailer).map((s) => ({ ...s, commitSha: c.sha }))),
      sourceUpdatedAt: toDate(lastEvent),
    });

    if (ticket) {
      rows.ticketLinks.push({ orgId, ticketId: ticket.id, pullRequestId: id, foundBy: pr.linkedBy, createdAt: toDate(pr.createdAt) });
    }

    for (const r of pr.reviews) {
      const reviewId = randomUUID();
      reviewExternalId += rand.int(5_000, 90_000);
      rows.reviews.push({
        orgId, id: reviewId, pullRequestId: id, externalId: String(reviewExternalId), reviewerId: person(r.reviewer).id, state: r.state,
        submittedAt: toDate(r.at), body: r.body,
      });
      for (const c of r.comments) {
        commentExternalId += rand.int(2_000, 60_000);
        rows.reviewComments.push({
          orgId, id: randomUUID(), pullRequestId: id, reviewId, externalId: String(commentExternalId), authorId: person(r.reviewer).id,
          body: c.body, path: c.path, createdAt: toDate(r.at),
        });
      }
    }
    if (headSha) {
      for (const run of pr.ciRuns) runs.push({ run, prId: id, repositoryId, repoName: pr.repo.name, headSha, headBranch: named.branch });
    }
  }

  // Run ids grow with time; the attempts of one run share its id.
  const firstStart = new Map<number, number>();
  for (const { run } of runs) firstStart.set(run.runKey, Math.min(run.startedAt, firstStart.get(run.runKey) ?? Infinity));
  const runIds = new Map<number, number>();
  let runExternalId = 15_800_000_000;
  for (const key of [...firstStart.keys()].sort((a, b) => (firstStart.get(a) ?? 0) - (firstStart.get(b) ?? 0))) {
    runExternalId += rand.int(200, 9_000);
    runIds.set(key, runExternalId);
  }
  for (const { run, prId, repositoryId, repoName, headSha, headBranch } of runs) {
    const id = randomUUID();
    const externalId = runIds.get(run.runKey) ?? 0;
    rows.ciRuns.push({
      orgId, id, repositoryId, provider: 'github_actions', externalId: String(externalId), runAttempt: run.attempt, workflow: run.workflow,
      headSha, headBranch, pullRequestId: prId, event: 'pull_request', status: run.completedAt === null ? 'in_progress' : 'completed',
      conclusion: run.conclusion, startedAt: toDate(run.startedAt), completedAt: run.completedAt === null ? null : toDate(run.completedAt),
      url: `https://github.com/${OWNER}/${repoName}/actions/runs/${externalId}${run.attempt > 1 ? `/attempts/${run.attempt}` : ''}`,
    });
    if (run.tests && run.completedAt !== null) {
      const t = run.tests;
      rows.testResults.push({
        orgId, id: randomUUID(), ciRunId: id, suite: 'unit', total: t.total, passed: t.total - t.failed - t.skipped, failed: t.failed,
        skipped: t.skipped, durationMs: t.durationMs, failingTests: t.failingTests, flakyTests: t.flakyTests,
        createdAt: toDate(run.completedAt),
      });
    }
  }

  for (const u of usage) {
    rows.aiUsage.push({
      orgId, id: randomUUID(), day: new Date(u.day), tool: u.tool, identityKey: person(u.engineer).email, model: u.model,
      personId: person(u.engineer).id, tokensIn: BigInt(u.tokensIn), tokensOut: BigInt(u.tokensOut),
      tokensCacheRead: BigInt(u.tokensCacheRead), tokensCacheWrite: BigInt(u.tokensCacheWrite), costUsd: u.costUsd.toFixed(4),
      linesSuggested: u.linesSuggested, linesAccepted: u.linesAccepted, sessions: u.sessions,
    });
  }

  const { rollout, harness } = storyWeeks(weeks);
  const rolloutDay = start + rollout * WEEK;
  const harnessDay = start + harness * WEEK;
  rows.annotations.push(
    {
      orgId, id: randomUUID(), teamId: null, date: new Date(rolloutDay), label: 'Claude Code rolled out org-wide',
      description: 'Claude Code seats for every engineer; Cursor and Copilot stay available.', createdAt: new Date(rolloutDay + 10 * HOUR),
    },
    {
      orgId, id: randomUUID(), teamId: teamId(HARNESS_TEAM), date: new Date(harnessDay),
      label: 'Adopted automated test harness + AI pre-review',
      description: 'Hermetic integration-test harness in CI, and an AI review pass before a human picks up the PR.',
      createdAt: new Date(harnessDay + 11 * HOUR),
    },
  );
  return rows;
}
