import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, test } from 'vitest';
import { POST as aiUsagePOST } from '../../app/api/orgs/[org]/ingest/ai-usage/route.ts';
import { POST as ciPOST } from '../../app/api/orgs/[org]/ingest/ci/route.ts';
import { POST as junitPOST } from '../../app/api/orgs/[org]/ingest/ci/[runId]/junit/route.ts';
import { GET as weeklyGET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { POST as otlpPOST } from '../../app/api/orgs/[org]/otlp/v1/metrics/route.ts';
import { POST as githubPOST } from '../../app/api/orgs/[org]/webhooks/github/route.ts';
import { POST as gitlabPOST } from '../../app/api/orgs/[org]/webhooks/gitlab/route.ts';
import { POST as jiraPOST } from '../../app/api/orgs/[org]/webhooks/jira/route.ts';
import { POST as linearPOST } from '../../app/api/orgs/[org]/webhooks/linear/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { rotateWebhookSecret } from '../auth/webhook-secrets.ts';
import { db } from '../db/client.ts';
import { rebuildOrgRollups } from '../metrics/rollups.ts';
import { MAX_WEEKS } from '../metrics/schemas.ts';
import { addWeeks, formatIsoDate, mondayOf } from '../metrics/weeks.ts';
import { importUsageFile } from './ai-usage/import-usage-file.ts';
import { importGitHistory } from './git/import-git-history.ts';
import { replayOrg } from './replay.ts';
import { processPendingEvents } from './worker.ts';

// Replay determinism: an org fed by every source that stores to the raw log (webhooks, the CI,
// AI usage and OTLP endpoints, vendor usage imports), with real payloads, is snapshotted (every
// row the handlers write, and the weekly metrics API's answers), rebuilt from its log with
// replayOrg, and snapshotted again: the two must be the same text, byte for byte.

/* eslint-disable @typescript-eslint/no-explicit-any -- payloads are mutated copies of real deliveries */
type Example = { name: string; examples: Record<string, any>[] };
const github = (name: string, pick: (e: Record<string, any>) => boolean = () => true) => structuredClone((examples as unknown as Example[]).find((e) => e.name === name)!.examples.find(pick)!);
const fixtureText = (dir: string, name: string) => readFileSync(path.join(import.meta.dirname, '../../test/fixtures', dir, name), 'utf8');
const fixture = (dir: string, name: string): Record<string, any> => JSON.parse(fixtureText(dir, name));

type Org = { id: string; slug: string };
type Secrets = Record<'github' | 'gitlab' | 'jira' | 'linear', string>;
const params = (slug: string) => ({ params: Promise.resolve({ org: slug }) });

let delivery = 0;
const nextId = (prefix: string) => `${prefix}-${++delivery}`;

/** One delivery to each kind of endpoint, signed or authorised as its sender does; answers the status. */
function senders(org: Org, secrets: Secrets, token: string) {
  const post = async (handler: (req: Request, ctx: ReturnType<typeof params>) => Promise<Response>, url: string, headers: Record<string, string>, body: string, extra?: Record<string, string>) =>
    (await handler(new Request(`http://test/api/orgs/${org.slug}/${url}`, { method: 'POST', headers, body }), { params: Promise.resolve({ org: org.slug, ...extra }) } as ReturnType<typeof params>)).status;
  const json = { 'content-type': 'application/json' };
  const bearer = { authorization: `Bearer ${token}` };
  return {
    github: async (event: string, payload: unknown) => {
      const body = JSON.stringify(payload);
      return post(githubPOST, 'webhooks/github', { ...json, 'x-github-event': event, 'x-github-delivery': nextId('gh'), 'x-hub-signature-256': await sign(secrets.github, body) }, body);
    },
    gitlab: (payload: unknown) => post(gitlabPOST, 'webhooks/gitlab', { ...json, 'x-gitlab-token': secrets.gitlab, 'idempotency-key': nextId('gl') }, JSON.stringify(payload)),
    jira: (payload: unknown) => {
      const body = JSON.stringify(payload);
      return post(jiraPOST, 'webhooks/jira', { ...json, 'x-hub-signature': `sha256=${createHmac('sha256', secrets.jira).update(body).digest('hex')}`, 'x-atlassian-webhook-identifier': nextId('jira') }, body);
    },
    // Linear refuses a delivery whose webhookTimestamp is over a minute from now.
    linear: (event: string, payload: Record<string, any>) => {
      const body = JSON.stringify({ ...payload, webhookTimestamp: Date.now() });
      return post(linearPOST, 'webhooks/linear', { ...json, 'linear-event': event, 'linear-delivery': nextId('linear'), 'linear-signature': createHmac('sha256', secrets.linear).update(body).digest('hex') }, body);
    },
    ci: (report: object) => post(ciPOST, 'ingest/ci', { ...json, ...bearer }, JSON.stringify(report)),
    junit: (runId: string, query: string, xml: string) => post(junitPOST, `ingest/ci/${runId}/junit${query}`, { ...bearer, 'content-type': 'application/xml' }, xml, { runId }),
    aiUsage: (body: string) => post(aiUsagePOST, 'ingest/ai-usage', { ...json, ...bearer }, body),
    otlp: (body: string) => post(otlpPOST, 'otlp/v1/metrics', { ...json, ...bearer }, body),
  };
}

/** What the worker does for an event that failed for want of a later one: retries it, here at once. */
async function retryFailed(orgId: string) {
  await db().rawEvent.updateMany({ where: { orgId, status: 'failed' }, data: { nextAttemptAt: new Date(0) } });
  await processPendingEvents();
}

/**
 * Feeds the org in the order deliveries could arrive, processing as they come (as the worker
 * does), out-of-order ones included: a CI run before its pull request, a JUnit upload before its
 * run's report, a conversation comment before its pull request (both fail, then are retried).
 */
async function feed(org: Org, secrets: Secrets, token: string): Promise<number> {
  const send = senders(org, secrets, token);
  let stored = 0;
  // Each delivery is answered as stored (OTLP answers 200, as its protocol has it), then processed.
  const step = async (status: Promise<number>, expected = 202) => {
    expect(await status).toBe(expected);
    stored++;
    await processPendingEvents();
  };

  // GitHub: Codertocat/Hello-World#2 from branch `changes`, titled after the Jira issue TES-41.
  const opened = github('pull_request', (e) => e.action === 'opened');
  opened.pull_request.title = `TES-41 ${opened.pull_request.title}`;
  const merged = github('pull_request', (e) => e.action === 'closed');
  Object.assign(merged.pull_request, { title: opened.pull_request.title, merged: true, merged_at: merged.pull_request.closed_at });
  const approval = github('pull_request_review', (e) => e.action === 'submitted');
  Object.assign(approval.review, { id: 9, state: 'approved', submitted_at: '2019-05-15T15:21:00Z', user: { login: 'rev', id: 77, type: 'User' } });
  const toBranch = github('push', (e) => e.ref === 'refs/heads/master');
  toBranch.ref = 'refs/heads/changes';
  const run = github('workflow_run', (e) => e.action === 'completed');
  Object.assign(run.workflow_run, { head_sha: opened.pull_request.head.sha, pull_requests: [] });
  const conversation = github('issue_comment', (e) => e.action === 'created');
  Object.assign(conversation.issue, { number: 2, pull_request: { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2' } });

  await step(send.github('workflow_run', run));
  await step(send.github('issue_comment', conversation));
  await step(send.github('push', toBranch));
  await step(send.github('pull_request', opened));
  await step(send.github('check_suite', github('check_suite', (e) => e.action === 'completed')));
  await step(send.github('pull_request_review', approval));
  await step(send.github('pull_request_review_comment', github('pull_request_review_comment', (e) => e.action === 'created')));
  await step(send.github('pull_request', merged));
  await step(send.github('push', github('push', (e) => e.ref === 'refs/heads/master')));
  await step(send.github('deployment', github('deployment')));
  await step(send.github('deployment_status', github('deployment_status')));
  await step(send.github('release', github('release', (e) => e.action === 'published')));
  await step(send.github('issues', github('issues', (e) => e.action === 'opened')));
  await step(send.github('star', github('star')));

  // GitLab: two merge requests (one opened, edited; one merged), a comment, a push, a pipeline.
  for (const name of ['merge_request_open.json', 'merge_request_merge.json', 'merge_request_update_edited.json', 'note_merge_request.json', 'push.json', 'pipeline.json']) {
    await step(send.gitlab(fixture('gitlab', name)));
  }

  // Jira: TES-41 created, started, done, assigned.
  for (const name of ['webhook_issue_created', 'webhook_issue_updated_status_todo_to_inprogress', 'webhook_issue_updated_resolved_status_to_done', 'webhook_issue_updated_assigned']) {
    await step(send.jira(fixture('jira', `${name}.json`)));
  }

  // Linear: WEB-44 created and updated; GitHub's integration attaches Codertocat/Hello-World#2 to it.
  await step(send.linear('Issue', fixture('linear', 'issue_create.json')));
  await step(send.linear('Issue', fixture('linear', 'issue_update.json')));
  await step(send.linear('Attachment', fixture('linear', 'attachment_create.json')));

  // CI (Throughline's own report format) on the pull request's head: attempt 2's JUnit is uploaded
  // before its report (it fails, then is retried), attempt 1 failed with its JUnit sent along.
  const sha = opened.pull_request.head.sha as string;
  const report = { repository: 'Codertocat/Hello-World', commitSha: sha, branch: 'changes', pullRequestNumber: 2, runId: '9001', workflow: 'test' };
  await step(send.junit('9001', '?attempt=2', fixtureText('junit', 'surefire-flakyFailure-small.xml')));
  await step(send.ci({ ...report, attempt: 1, status: 'completed', conclusion: 'failure', startedAt: '2019-05-15T15:21:05Z', completedAt: '2019-05-15T15:25:00Z', junit: fixtureText('junit', 'jest-junit.xml') }));
  await step(send.ci({ ...report, attempt: 2, status: 'completed', conclusion: 'success', startedAt: '2019-05-15T15:26:00Z', completedAt: '2019-05-15T15:29:00Z' }));

  // AI usage: the generic report, Claude Code's OTLP export, and vendor exports (imports store to the log too).
  await step(send.aiUsage(fixtureText('ai-usage', 'report.json')));
  await step(send.otlp(fixtureText('otlp', 'otlp_metrics_export_request.json')), 200);
  for (const [vendor, dir, name] of [
    ['copilot', 'copilot', 'org_copilot_metrics.json'],
    ['copilot', 'copilot', 'usage_metrics_report_users_example.json'],
    ['cursor', 'cursor', 'admin_api_daily_usage_data.json'],
    ['anthropic', 'anthropic', 'admin_usage_report_claude_code.json'],
    ['openai', 'openai', 'organization_usage_completions.json'],
  ] as const) {
    expect(await importUsageFile({ orgId: org.id, vendor, text: fixtureText(dir, name) })).toMatchObject({ stored: true, status: 'processed' });
    stored++;
  }

  await retryFailed(org.id);
  expect(await db().rawEvent.count({ where: { orgId: org.id, status: 'failed' } })).toBe(0);
  return stored;
}

// ───────────── the snapshot ─────────────

/** Tables handlers write: every derived table, the rollups, and the admin-owned ones they upsert into. */
const COMPARED = [
  'PullRequest', 'Commit', 'PullRequestCommit', 'Review', 'ReviewComment', 'Ticket', 'TicketPullRequestLink', 'CiRun', 'TestResultSummary', 'Deployment',
  'AiUsageDaily', 'AiUsageSample', 'AiToolDailyTotal', 'WeeklyRollup', 'Person', 'Identity', 'Repository',
];
/** Tables whose ids compared rows name (orgId, a rollup's team scope, a usage row's source event): labelled, not compared. */
const REFERENCED = ['Organization', 'Team', 'TeamMembership', 'RawEvent'];

/**
 * Columns set by now() when a row is written, not taken from any payload: a replay writes them
 * again at its own time, by design. RawEvent's are its processing state (and the receipt time of
 * the marker rows handlers write), used only to label the events compared rows name.
 */
const PROCESSING_TIMES: Record<string, string[]> = {
  TestResultSummary: ['createdAt'],
  TicketPullRequestLink: ['createdAt'],
  WeeklyRollup: ['computedAt'],
  RawEvent: ['status', 'attempts', 'nextAttemptAt', 'processedAt', 'error', 'receivedAt'],
};

type Row = Record<string, unknown>;

/** JSON with object keys sorted, so equal rows are equal text. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Row)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** The value with every string that is a row id replaced by that row's label ('?' before labels exist). */
function relabel(value: unknown, labels: Map<string, string>, ids: Set<string>): unknown {
  if (typeof value === 'string') return ids.has(value) ? (labels.get(value) ?? '?') : value;
  if (Array.isArray(value)) return value.map((v) => relabel(v, labels, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relabel(v, labels, ids)]));
  return value;
}

function content(table: string, row: Row, labels: Map<string, string>, ids: Set<string>): string {
  const kept = Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'id' && !PROCESSING_TIMES[table]?.includes(k)));
  return stable(relabel(kept, labels, ids));
}

/**
 * Labels every row id `Table#n`, n its rank among its table's rows ordered by their content, ids
 * replaced by labels; refined until stable, since a row's content names other rows. Two rows
 * that nothing tells apart would make the labels arbitrary: that fails the test.
 */
function labelRows(tables: Map<string, Row[]>): Map<string, string> {
  const ids = new Set([...tables.values()].flat().flatMap((r) => (typeof r.id === 'string' ? [r.id] : [])));
  let labels = new Map<string, string>();
  for (let round = 0; round < 10; round++) {
    const next = new Map<string, string>();
    for (const [table, rows] of tables) {
      const keyed = rows.filter((r) => typeof r.id === 'string').map((r) => [content(table, r, labels, ids), r.id as string] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      keyed.forEach(([key, id], i) => {
        if (round > 0 && i > 0 && keyed[i - 1]![0] === key) throw new Error(`${table}: rows ${keyed[i - 1]![1]} and ${id} are indistinguishable`);
        next.set(id, `${table}#${i}`);
      });
    }
    const settled = round > 0 && [...next].every(([id, label]) => labels.get(id) === label);
    labels = next;
    if (settled) return labels;
  }
  throw new Error('row labels did not settle');
}

async function tableRows(orgId: string, table: string): Promise<Row[]> {
  const column = table === 'Organization' ? 'id' : 'orgId';
  const rows = await db().$queryRawUnsafe<{ row: Row }[]>(`SELECT to_jsonb(t) AS row FROM "${table}" t WHERE t."${column}" = $1`, orgId);
  return rows.map((r) => r.row);
}

/** The weekly metrics API's answers, as text, for the org and each team, in windows of at most MAX_WEEKS covering all the data. */
async function weeklyAnswers(org: Org, token: string, teams: string[]): Promise<string[]> {
  const [span] = await db().$queryRaw<{ first: Date; last: Date }[]>`
    SELECT least(min(t.at), now()) AS first, max(t.at) AS last FROM (
      SELECT "createdAt" AS at FROM "PullRequest" WHERE "orgId" = ${org.id} UNION ALL
      SELECT "committedAt" FROM "Commit" WHERE "orgId" = ${org.id} UNION ALL
      SELECT "createdAt" FROM "Ticket" WHERE "orgId" = ${org.id} UNION ALL
      SELECT coalesce("doneAt", "createdAt") FROM "Ticket" WHERE "orgId" = ${org.id} UNION ALL
      SELECT coalesce("completedAt", "startedAt") FROM "CiRun" WHERE "orgId" = ${org.id} UNION ALL
      SELECT "createdAt" FROM "Deployment" WHERE "orgId" = ${org.id} UNION ALL
      SELECT day::timestamptz FROM "AiUsageDaily" WHERE "orgId" = ${org.id} UNION ALL
      SELECT day::timestamptz FROM "AiToolDailyTotal" WHERE "orgId" = ${org.id}) t`;
  const answers: string[] = [];
  // UTC is the org's time zone: windows of whole weeks from the Monday of the first day.
  for (let start = mondayOf(span!.first); start <= span!.last; start = addWeeks(start, MAX_WEEKS)) {
    const [from, to] = [formatIsoDate(start), formatIsoDate(new Date(addWeeks(start, MAX_WEEKS).getTime() - 86_400_000))];
    for (const team of [null, ...teams]) {
      const query = new URLSearchParams({ from, to, ...(team ? { team } : {}) });
      const res = await weeklyGET(new Request(`http://test/api/orgs/${org.slug}/metrics/weekly?${query}`, { headers: { authorization: `Bearer ${token}` } }), params(org.slug));
      expect(res.status).toBe(200);
      answers.push(`GET metrics/weekly?${query} ${await res.text()}`);
    }
  }
  return answers;
}

/** The org's rows, one line each (ids as labels, processing times left out), then the weekly metrics answers. */
async function snapshot(org: Org, token: string, teams: string[]): Promise<string> {
  const tables = new Map<string, Row[]>();
  for (const table of [...COMPARED, ...REFERENCED]) tables.set(table, await tableRows(org.id, table));
  const labels = labelRows(tables);
  const ids = new Set(labels.keys());
  const lines = COMPARED.flatMap((table) => tables.get(table)!.map((r) => `${table} ${content(table, r, labels, ids)}`).sort());
  return [...lines, ...(await weeklyAnswers(org, token, teams))].join('\n');
}

const countsByTable = (text: string) => {
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const table = line.slice(0, line.indexOf(' '));
    counts[table] = (counts[table] ?? 0) + 1;
  }
  return counts;
};

describe('replaying the raw log', () => {
  test('drops every derived row and rollup and rebuilds the same tables and weekly metrics, byte for byte, every time', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Replay determinism' } });
    const secrets: Secrets = {
      github: await rotateWebhookSecret({ orgId: org.id, source: 'github' }),
      gitlab: await rotateWebhookSecret({ orgId: org.id, source: 'gitlab' }),
      jira: await rotateWebhookSecret({ orgId: org.id, source: 'jira' }),
      linear: await rotateWebhookSecret({ orgId: org.id, source: 'linear' }),
    };
    const { token } = await createIngestToken({ orgId: org.id, name: 'all', scopes: ['ingest:write', 'otlp:write', 'metrics:read'] });
    const events = await feed(org, secrets, token);

    // What admins own, set after the people exist: two teams, one with every person who is not a
    // bot, one as the default team of the GitLab repositories.
    const people = await db().person.findMany({ where: { orgId: org.id, isBot: false }, select: { id: true } });
    const alpha = await db().team.create({ data: { orgId: org.id, slug: 'alpha', name: 'Alpha' } });
    const beta = await db().team.create({ data: { orgId: org.id, slug: 'beta', name: 'Beta' } });
    await db().teamMembership.createMany({ data: people.map((p) => ({ orgId: org.id, teamId: alpha.id, personId: p.id, validFrom: new Date('2019-01-01T00:00:00Z') })) });
    await db().repository.updateMany({ where: { orgId: org.id, provider: 'gitlab' }, data: { defaultTeamId: beta.id } });
    await rebuildOrgRollups({ id: org.id });

    const teams = ['alpha', 'beta'];
    const before = await snapshot(org, token, teams);
    // Every source's tables hold rows, so a replay that lost any of them would show.
    const counts = countsByTable(before);
    for (const table of COMPARED) expect(counts[table], table).toBeGreaterThan(0);
    // The metrics answers hold figures, not only empty weeks.
    expect(before).toMatch(/^GET .*"team":null.*"prsMerged":1,/m);
    expect(before).toMatch(/^GET .*"team":"alpha".*"ticketsMerged":1,/m);
    expect(before).toMatch(/^GET .*"team":null.*"costUsd":[1-9]/m);
    const links = await db().ticketPullRequestLink.findMany({ where: { orgId: org.id }, select: { foundBy: true, ticket: { select: { key: true } } } });
    expect(links.map((l) => `${l.ticket.key} ${l.foundBy}`).sort()).toEqual(['TES-41 pr_title', 'WEB-44 tracker_attachment']);

    expect(await replayOrg({ orgId: org.id })).toEqual({ events });
    const after = await snapshot(org, token, teams);
    expect(after).toBe(before);
    await replayOrg({ orgId: org.id });
    expect(await snapshot(org, token, teams)).toBe(before);
    // Each rollup rebuild covers every week since the oldest payload (GitLab's push example, 2011).
  }, 180_000);
});

/** A clone of Codertocat/Hello-World's master as git makes it: PR #2 squash-merged (naming TES-41), PR #7 merged from a branch. */
function makeClone(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-replay-'));
  const git = (args: string[], date?: string) =>
    execFileSync('git', ['-C', dir, '-c', 'commit.gpgsign=false', ...args], {
      env: { ...process.env, GIT_AUTHOR_NAME: 'Ann', GIT_AUTHOR_EMAIL: 'ann@example.com', GIT_COMMITTER_NAME: 'Ann', GIT_COMMITTER_EMAIL: 'ann@example.com', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
    });
  const commit = (file: string, message: string, date: string) => {
    writeFileSync(path.join(dir, file), `${message}\n`);
    git(['add', file]);
    git(['commit', '-q', '-m', message], date);
  };
  git(['init', '-q', '-b', 'master']);
  commit('README.md', 'Initial commit', '2019-05-14T09:00:00Z');
  commit('README.md', 'Update the README with new information. (#2)\n\nFixes TES-41', '2019-05-15T15:21:18Z');
  git(['checkout', '-q', '-b', 'feature']);
  commit('feature.txt', 'Feature work\n\nCo-authored-by: Claude <noreply@anthropic.com>', '2019-05-16T10:00:00Z');
  git(['checkout', '-q', 'master']);
  git(['merge', '-q', '--no-ff', 'feature', '-m', 'Merge pull request #7 from Codertocat/feature\n\nAdd the feature'], '2019-05-17T12:00:00Z');
  return dir;
}

describe('replaying an org with imported git history', () => {
  test('keeps the commits, inferred pull requests and links `throughline import git` wrote (no raw event holds them): the same rows again', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Replay with an import' } });
    const secrets = { github: await rotateWebhookSecret({ orgId: org.id, source: 'github' }), jira: await rotateWebhookSecret({ orgId: org.id, source: 'jira' }) } as Secrets;
    const { token } = await createIngestToken({ orgId: org.id, name: 'all', scopes: ['metrics:read'] });
    const send = senders(org, secrets, token);
    const opened = github('pull_request', (e) => e.action === 'opened');
    const merged = github('pull_request', (e) => e.action === 'closed');
    Object.assign(merged.pull_request, { merged: true, merged_at: merged.pull_request.closed_at });
    const toBranch = github('push', (e) => e.ref === 'refs/heads/master');
    toBranch.ref = 'refs/heads/changes';

    // Pull request #2 opened, the import, then what follows it: the ticket its squash commit names, the merge.
    expect(await send.github('push', toBranch)).toBe(202);
    expect(await send.github('pull_request', opened)).toBe(202);
    await processPendingEvents();
    expect(await importGitHistory({ orgId: org.id, path: makeClone(), owner: 'Codertocat', name: 'Hello-World', branch: 'master' })).toMatchObject({ commits: 4, pullRequests: 2 });
    expect(await send.jira(fixture('jira', 'webhook_issue_created.json'))).toBe(202);
    expect(await send.github('pull_request', merged)).toBe(202);
    await processPendingEvents();
    await rebuildOrgRollups({ id: org.id });

    const prs = () => db().pullRequest.findMany({ where: { orgId: org.id }, orderBy: { number: 'asc' }, select: { number: true, isInferred: true, commits: { select: { commit: { select: { message: true } } } } } });
    const before = await snapshot(org, token, []);
    const linked = (await prs()).map((p) => [p.number, p.isInferred, p.commits.map((c) => c.commit.message.split('\n')[0]).sort()]);
    expect(linked).toEqual([
      [2, false, ['Initial commit', 'Update the README with new information. (#2)']],
      [7, true, ['Feature work', 'Merge pull request #7 from Codertocat/feature']],
    ]);
    expect(await db().commit.count({ where: { orgId: org.id, imported: true } })).toBe(4);
    expect(await db().ticketPullRequestLink.findMany({ where: { orgId: org.id }, select: { foundBy: true } })).toEqual([{ foundBy: 'commit_message' }]);

    expect(await replayOrg({ orgId: org.id })).toEqual({ events: 4 });
    expect(await snapshot(org, token, [])).toBe(before);
    await replayOrg({ orgId: org.id });
    expect(await snapshot(org, token, [])).toBe(before);
  });
});
