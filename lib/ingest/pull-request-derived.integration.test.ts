import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { seedOrg } from '../../test/factories.ts';
import { handleInTransaction, handlerFor } from './handlers.ts';
import { storeRawEvent } from './raw-events.ts';
import { processPendingEvents } from './worker.ts';

// What a pull request upsert refreshes (lib/ingest/link-pull-request-commits.ts): commits,
// attribution, ticket links and CI runs, each only when what it derives from changed, on GitHub's
// own examples (@octokit/webhooks-examples) and a real GitLab merge request (test/fixtures/gitlab).

/* eslint-disable @typescript-eslint/no-explicit-any -- editing recorded payloads */
type Example = { name: string; examples: Record<string, any>[] };
const example = (name: string, action?: string) => structuredClone((examples as unknown as Example[]).find((e) => e.name === name)!.examples.find((e) => action === undefined || e.action === action)!);
const gitlabFixture = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../test/fixtures/gitlab', name), 'utf8'));

let n = 0;
async function handle(orgId: string, source: 'github' | 'gitlab' | 'jira', eventType: string, payload: any) {
  await storeRawEvent({ orgId, source, eventType, deliveryId: `d-${++n}`, headers: {}, payload });
  await processPendingEvents();
  expect(await db().rawEvent.findMany({ where: { orgId, status: 'failed' }, select: { error: true } })).toEqual([]);
}

function jiraIssue(id: string, key: string) {
  const status = { id: '1', name: 'To Do', statusCategory: { key: 'new' } };
  return { webhookEvent: 'jira:issue_created', timestamp: 1, issue: { id, key, fields: { summary: key, created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z', status } } };
}

function pullRequest(action: string, o: { updatedAt: string; title?: string; sha?: string; labels?: string[] }) {
  const e = example('pull_request', 'opened');
  Object.assign(e.pull_request, { title: o.title ?? 'Update the README', body: null, updated_at: o.updatedAt, created_at: '2026-01-05T10:00:00Z', labels: (o.labels ?? []).map((name) => ({ name })) });
  e.pull_request.head = { ...e.pull_request.head, ref: 'docs', sha: o.sha ?? 'a'.repeat(40) };
  return { ...e, action };
}

function push(message: string) {
  const e = example('push');
  const commit = { ...e.head_commit, id: 'c'.repeat(40), message, timestamp: '2026-01-05T09:00:00Z' };
  return { ...e, ref: 'refs/heads/docs', commits: [commit], head_commit: commit };
}

const links = async (orgId: string) => (await db().ticketPullRequestLink.findMany({ where: { orgId }, include: { ticket: true } })).map((l) => `${l.ticket.key} ${l.foundBy}`).sort();

/**
 * Two workers handling two GitHub events at once: the first is handled and held uncommitted while
 * the second runs until it finishes (blind to the first's rows) or waits for the first; then both commit.
 */
async function concurrently(orgId: string, first: readonly [string, unknown], second: readonly [string, unknown]) {
  const inTransaction = ([eventType, payload]: readonly [string, unknown], hold?: Promise<unknown>, handled?: () => void) =>
    handleInTransaction(handlerFor('github', eventType)!, { orgId, eventId: randomUUID(), payload: payload as Prisma.JsonValue }, async () => {
      handled?.();
      await hold;
    });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let handled!: () => void;
  const firstHandled = new Promise<void>((r) => (handled = r));
  const firstDone = inTransaction(first, held, handled);
  await firstHandled;
  const secondDone = inTransaction(second);
  const waiting = async () => {
    for (;;) {
      const [waiters] = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if (waiters!.n > 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.race([secondDone, waiting()]);
  release();
  await Promise.all([firstDone, secondDone]);
}

describe('what a pull request change refreshes', () => {
  test('a commit pushed after the pull request opened links the ticket its message names, and sets first-commit time and evidence', async () => {
    const org = await seedOrg();
    await handle(org.id, 'jira', 'jira:issue_created', jiraIssue('100', 'ABC-7'));
    await handle(org.id, 'github', 'pull_request', pullRequest('opened', { updatedAt: '2026-01-05T10:00:00Z' }));
    expect(await links(org.id)).toEqual([]);
    await handle(org.id, 'github', 'push', push('ABC-7: reword\n\nCo-authored-by: Claude <noreply@anthropic.com>'));
    expect(await links(org.id)).toEqual(['ABC-7 commit_message']);
    const pr = await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id } });
    expect(pr.firstCommitAt).toEqual(new Date('2026-01-05T09:00:00Z'));
    expect(pr.aiEvidence).toEqual([expect.objectContaining({ kind: 'co_author', commitSha: 'c'.repeat(40) })]);
  });

  test('a label change keeps the links; a new head sha picks up the CI runs reported for it before', async () => {
    const org = await seedOrg();
    await handle(org.id, 'jira', 'jira:issue_created', jiraIssue('100', 'ABC-8'));
    await handle(org.id, 'github', 'pull_request', pullRequest('opened', { updatedAt: '2026-01-05T10:00:00Z', title: 'ABC-8 docs' }));
    await handle(org.id, 'github', 'pull_request', pullRequest('labeled', { updatedAt: '2026-01-05T10:05:00Z', title: 'ABC-8 docs', labels: ['docs'] }));
    expect(await links(org.id)).toEqual(['ABC-8 pr_title']);
    const repo = await db().repository.findFirstOrThrow({ where: { orgId: org.id } });
    const sha = 'b'.repeat(40);
    // A run of a commit no pull request points at yet: unattached until the pull request's head moves there.
    await db().ciRun.create({ data: { orgId: org.id, repositoryId: repo.id, provider: 'github_actions', externalId: '9', runAttempt: 1, workflow: 'ci', headSha: sha, status: 'completed', conclusion: 'success' } });
    await handle(org.id, 'github', 'pull_request', pullRequest('synchronize', { updatedAt: '2026-01-05T10:10:00Z', title: 'ABC-8 docs', sha }));
    const pr = await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id } });
    expect(await db().ciRun.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ pullRequestId: pr.id });
  });

  test.each([
    ['the opening', 'the push'],
    ['the push', 'the opening'],
  ])('a push and the opening of its pull request, handled at once by two workers, are linked when %s commits first', async (first) => {
    const org = await seedOrg();
    // An org already running: the repository and the people exist, so only the link can race.
    const earlier: Record<string, any> = pullRequest('opened', { updatedAt: '2026-01-04T10:00:00Z' });
    Object.assign(earlier.pull_request, { number: 1000, id: 1000, head: { ...earlier.pull_request.head, ref: 'earlier' } });
    await handle(org.id, 'github', 'pull_request', { ...earlier, number: 1000 });
    const earlierPush = push('Earlier change');
    Object.assign(earlierPush, { ref: 'refs/heads/earlier' });
    earlierPush.commits[0].id = 'e'.repeat(40);
    await handle(org.id, 'github', 'push', earlierPush);

    const opening = ['pull_request', pullRequest('opened', { updatedAt: '2026-01-05T10:00:00Z' })] as const;
    const pushing = ['push', push('Reword')] as const;
    if (first === 'the push') await concurrently(org.id, pushing, opening);
    else await concurrently(org.id, opening, pushing);
    const pr = await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id, headBranch: 'docs' }, include: { commits: true } });
    expect(pr.commits).toHaveLength(1);
    expect(pr.firstCommitAt).toEqual(new Date('2026-01-05T09:00:00Z'));
  });

  test('of two events of one pull request handled at once by two workers, the newer payload stays when the older one is handled second', async () => {
    const org = await seedOrg();
    await handle(org.id, 'github', 'pull_request', pullRequest('opened', { updatedAt: '2026-01-05T10:00:00Z' }));
    const newer = ['pull_request', pullRequest('edited', { updatedAt: '2026-01-05T10:20:00Z', title: 'Newer title', sha: 'b'.repeat(40) })] as const;
    const older = ['pull_request', pullRequest('synchronize', { updatedAt: '2026-01-05T10:10:00Z', sha: 'c'.repeat(40) })] as const;
    await concurrently(org.id, newer, older);
    expect(await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ title: 'Newer title', headSha: 'b'.repeat(40), sourceUpdatedAt: new Date('2026-01-05T10:20:00Z') });
  });

  test('a GitLab merge request names its ticket in its title', async () => {
    const org = await seedOrg();
    const mr = gitlabFixture('merge_request_open.json');
    mr.object_attributes.title = `ENG-12 ${mr.object_attributes.title}`;
    await handle(org.id, 'gitlab', 'merge_request', mr);
    await handle(org.id, 'jira', 'jira:issue_created', jiraIssue('200', 'ENG-12'));
    expect(await links(org.id)).toEqual(['ENG-12 pr_title']);
  });
});
