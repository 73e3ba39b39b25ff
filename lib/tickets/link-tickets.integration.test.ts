import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { seedOrg } from '../../test/factories.ts';
import { storeRawEvent } from '../ingest/raw-events.ts';
import { processPendingEvents } from '../ingest/worker.ts';

// GitHub's own pull_request and issues examples (@octokit/webhooks-examples), with the title,
// body, branch and times edited per test; Jira tickets from test/fixtures/jira's shapes, trimmed.

/* eslint-disable @typescript-eslint/no-explicit-any -- editing recorded payloads */
type Example = { name: string; examples: Record<string, any>[] };
const example = (name: string, action: string) => structuredClone((examples as unknown as Example[]).find((e) => e.name === name)!.examples.find((e) => e.action === action)!);

let n = 0;
async function handle(orgId: string, source: 'github' | 'jira', eventType: string, payload: any) {
  await storeRawEvent({ orgId, source, eventType, deliveryId: `t-${++n}`, headers: {}, payload });
  await processPendingEvents();
  expect(await db().rawEvent.count({ where: { orgId, status: 'failed' } })).toBe(0);
}

function pullRequest(o: { title: string; body?: string; branch?: string; updatedAt?: string }) {
  const e = example('pull_request', 'opened');
  Object.assign(e.pull_request, { title: o.title, body: o.body ?? null, updated_at: o.updatedAt ?? e.pull_request.updated_at });
  e.pull_request.head.ref = o.branch ?? 'changes';
  return e;
}

function jiraIssue(id: string, key: string) {
  const status = { id: '1', name: 'To Do', statusCategory: { key: 'new' } };
  return { webhookEvent: 'jira:issue_created', timestamp: 1, issue: { id, key, fields: { summary: key, created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z', status } } };
}

const links = async (orgId: string) =>
  (await db().ticketPullRequestLink.findMany({ where: { orgId }, include: { ticket: true } })).map((l) => `${l.ticket.key} ${l.foundBy}`).sort();

describe('ticket–pull request links', () => {
  test('a ticket that arrives after its pull request is linked to it, each way it is named', async () => {
    const org = await seedOrg();
    await handle(org.id, 'github', 'pull_request', pullRequest({ title: 'ABC-1: fix login', body: 'Also ENG-2.', branch: 'abc-1-login' }));
    expect(await links(org.id)).toEqual([]);
    await handle(org.id, 'jira', 'jira:issue_created', jiraIssue('100', 'ABC-1'));
    expect(await links(org.id)).toEqual(['ABC-1 branch_name', 'ABC-1 pr_title']);
  });

  test('look-alike keys link nothing unless the org has that ticket', async () => {
    const org = await seedOrg();
    await handle(org.id, 'jira', 'jira:issue_created', jiraIssue('100', 'ABC-1'));
    await handle(org.id, 'github', 'pull_request', pullRequest({ title: 'Parse UTF-8 and ISO-8601 dates', body: 'SHA-256, GPT-4, ABC-1' }));
    expect(await links(org.id)).toEqual(['ABC-1 pr_body']);
    await handle(org.id, 'jira', 'jira:issue_created', jiraIssue('200', 'UTF-8'));
    expect(await links(org.id)).toEqual(['ABC-1 pr_body', 'UTF-8 pr_title']);
  });

  test('editing the pull request recomputes its links; many tickets per pull request', async () => {
    const org = await seedOrg();
    await handle(org.id, 'jira', 'jira:issue_created', jiraIssue('100', 'ABC-1'));
    await handle(org.id, 'jira', 'jira:issue_created', jiraIssue('101', 'ABC-2'));
    await handle(org.id, 'github', 'pull_request', pullRequest({ title: 'ABC-1 and ABC-2' }));
    expect(await links(org.id)).toEqual(['ABC-1 pr_title', 'ABC-2 pr_title']);
    await handle(org.id, 'github', 'pull_request', { ...pullRequest({ title: 'ABC-2 only', updatedAt: '2030-01-01T00:00:00Z' }), action: 'edited' });
    expect(await links(org.id)).toEqual(['ABC-2 pr_title']);
  });

  test('a GitHub issue closed by keyword that arrives after the pull request is linked as closing_keyword', async () => {
    const org = await seedOrg();
    const issue = example('issues', 'opened'); // Codertocat/Hello-World#1
    await handle(org.id, 'github', 'pull_request', pullRequest({ title: 'Spelling', body: 'Fixes #1' }));
    await handle(org.id, 'github', 'issues', issue);
    expect(await links(org.id)).toEqual(['codertocat/hello-world#1 closing_keyword']);
  });
});

describe('GitHub issues as tickets', () => {
  test('opened, closed and reopened follow the payloads\' times; deleted removes the ticket', async () => {
    const org = await seedOrg();
    const opened = example('issues', 'opened');
    await handle(org.id, 'github', 'issues', opened);
    const where = { orgId: org.id, source: 'github' as const };
    expect(await db().ticket.findFirstOrThrow({ where })).toMatchObject({
      key: 'codertocat/hello-world#1', externalId: String(opened.issue.id), title: opened.issue.title, statusCategory: 'todo', statusName: 'open',
      createdAt: new Date(opened.issue.created_at), startedAt: null, doneAt: null,
    });
    // [built] No `closed` example exists: the opened one, closed an hour after its update.
    const closed = example('issues', 'opened');
    const closedAt = new Date(new Date(opened.issue.updated_at).getTime() + 3_600_000).toISOString();
    Object.assign(closed, { action: 'closed' });
    Object.assign(closed.issue, { state: 'closed', closed_at: closedAt, updated_at: closedAt });
    await handle(org.id, 'github', 'issues', closed);
    expect(await db().ticket.findFirstOrThrow({ where })).toMatchObject({ statusCategory: 'done', doneAt: new Date(closedAt) });
    const reopened = structuredClone(closed);
    Object.assign(reopened, { action: 'reopened' });
    Object.assign(reopened.issue, { state: 'open', closed_at: null, updated_at: new Date(new Date(closedAt).getTime() + 60_000).toISOString() });
    await handle(org.id, 'github', 'issues', reopened);
    expect(await db().ticket.findFirstOrThrow({ where })).toMatchObject({ statusCategory: 'todo', doneAt: null });
    await handle(org.id, 'github', 'issues', { ...reopened, action: 'deleted' });
    expect(await db().ticket.count({ where })).toBe(0);
  });
});
