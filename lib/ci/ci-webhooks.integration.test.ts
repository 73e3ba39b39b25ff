import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, test } from 'vitest';
import { POST as githubPOST } from '../../app/api/orgs/[org]/webhooks/github/route.ts';
import { POST as gitlabPOST } from '../../app/api/orgs/[org]/webhooks/gitlab/route.ts';
import { rotateWebhookSecret } from '../auth/webhook-secrets.ts';
import { db } from '../db/client.ts';
import { processPendingEvents } from '../ingest/worker.ts';
import { randomSlug } from '../../test/factories.ts';

// GitHub's own webhook examples (@octokit/webhooks-examples), signed as GitHub signs them, and
// GitLab's Pipeline Hook (test/fixtures/gitlab/pipeline.json).

/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are mutated copies of real payloads */
type Example = { name: string; examples: Record<string, any>[] };
const example = (name: string, index: number): Record<string, any> => structuredClone((examples as unknown as Example[]).find((e) => e.name === name)!.examples[index]!);
const gitlabFixture = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../test/fixtures/gitlab', name), 'utf8'));

async function orgWithSecrets() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'CI org' } });
  return { org, github: await rotateWebhookSecret({ orgId: org.id, source: 'github' }), gitlab: await rotateWebhookSecret({ orgId: org.id, source: 'gitlab' }) };
}

let n = 0;
async function deliverGithub(slug: string, secret: string, event: string, payload: unknown, deliveryId = `ci-${++n}`) {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': deliveryId, 'x-hub-signature-256': await sign(secret, body) };
  return (await githubPOST(new Request(`http://test/api/orgs/${slug}/webhooks/github`, { method: 'POST', headers, body }), { params: Promise.resolve({ org: slug }) })).status;
}

async function deliverGitlab(slug: string, token: string, payload: unknown) {
  const headers = { 'content-type': 'application/json', 'x-gitlab-token': token, 'idempotency-key': `gl-${++n}` };
  return (await gitlabPOST(new Request('http://test', { method: 'POST', headers, body: JSON.stringify(payload) }), { params: Promise.resolve({ org: slug }) })).status;
}

const runs = (orgId: string) => db().ciRun.findMany({ where: { orgId }, orderBy: [{ provider: 'asc' }, { externalId: 'asc' }, { runAttempt: 'asc' }], include: { pullRequest: { select: { number: true } } } });

/** The real completed workflow_run, re-run: only the attempt fields change (no public example has attempt 2). */
function reRun(attempt1: Record<string, any>) {
  const e = structuredClone(attempt1);
  e.workflow_run.run_attempt = 2;
  e.workflow_run.previous_attempt_url = `${e.workflow_run.url}/attempts/1`;
  return e;
}

describe('GitHub Actions workflow_run', () => {
  test('a completed run is stored with its attempt, workflow, sha and the payload times', async () => {
    const { org, github } = await orgWithSecrets();
    expect(await deliverGithub(org.slug, github, 'workflow_run', example('workflow_run', 1))).toBe(202);
    expect(await processPendingEvents()).toBeGreaterThan(0);
    expect(await runs(org.id)).toMatchObject([
      {
        provider: 'github_actions',
        externalId: '289782451',
        runAttempt: 1,
        workflow: 'test',
        headSha: '3484a3fb816e0859fd6e1cea078d76385ff50625',
        headBranch: 'master',
        event: 'repository_dispatch',
        status: 'completed',
        conclusion: 'success',
        startedAt: new Date('2020-10-05T16:33:49Z'),
        completedAt: new Date('2020-10-05T16:33:49Z'),
        url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
        pullRequestId: null,
      },
    ]);
  });

  test('a re-run (run_attempt 2) is a row of its own; redelivering attempt 1 changes nothing', async () => {
    const { org, github } = await orgWithSecrets();
    const first = example('workflow_run', 1);
    await deliverGithub(org.slug, github, 'workflow_run', reRun(first));
    await deliverGithub(org.slug, github, 'workflow_run', first, 'same-delivery');
    expect(await deliverGithub(org.slug, github, 'workflow_run', first, 'same-delivery')).toBe(200);
    await processPendingEvents();
    expect((await runs(org.id)).map((r) => [r.externalId, r.runAttempt, r.conclusion])).toEqual([
      ['289782451', 1, 'success'],
      ['289782451', 2, 'success'],
    ]);
  });

  test('a "requested" delivery processed after "completed" does not take the run back to queued', async () => {
    const { org, github } = await orgWithSecrets();
    await deliverGithub(org.slug, github, 'workflow_run', example('workflow_run', 1));
    await processPendingEvents();
    await deliverGithub(org.slug, github, 'workflow_run', example('workflow_run', 3));
    await processPendingEvents();
    expect(await runs(org.id)).toMatchObject([{ status: 'completed', conclusion: 'success', completedAt: new Date('2020-10-05T16:33:49Z') }]);
  });

  test('a run stored before its pull request is linked when the PR (same repository, head sha) arrives', async () => {
    const { org, github } = await orgWithSecrets();
    const run = example('workflow_run', 1);
    await deliverGithub(org.slug, github, 'workflow_run', run);
    await processPendingEvents();
    const pr = example('pull_request', 0);
    pr.repository = run.repository;
    pr.pull_request.head.sha = run.workflow_run.head_sha;
    await deliverGithub(org.slug, github, 'pull_request', pr);
    await processPendingEvents();
    expect((await runs(org.id)).map((r) => r.pullRequest?.number)).toEqual([pr.pull_request.number]);
  });
});

describe('GitHub check_suite and check_run', () => {
  test('check runs and suites of another CI app are stored and linked by pull_requests[]; GitHub Actions ones are left to workflow_run', async () => {
    const { org, github } = await orgWithSecrets();
    await deliverGithub(org.slug, github, 'pull_request', example('pull_request', 0));
    await processPendingEvents();
    await deliverGithub(org.slug, github, 'check_run', example('check_run', 2));
    await deliverGithub(org.slug, github, 'check_run', example('check_run', 1)); // app github-actions
    await deliverGithub(org.slug, github, 'check_suite', example('check_suite', 0));
    await deliverGithub(org.slug, github, 'check_suite', example('check_suite', 1)); // app github-actions
    await processPendingEvents();
    expect(await db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } })).toBe(5);
    expect(await runs(org.id)).toMatchObject([
      { provider: 'github_check_run', externalId: '128620228', runAttempt: 1, workflow: 'Octocoders-linter', headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', headBranch: 'changes', conclusion: 'success', startedAt: new Date('2019-05-15T15:21:12Z'), completedAt: new Date('2019-05-15T15:21:12Z'), pullRequest: { number: 2 } },
      { provider: 'github_check_suite', externalId: '118578147', runAttempt: 1, workflow: 'octocoders-linter', headBranch: 'changes', conclusion: 'success', startedAt: new Date('2019-05-15T15:20:31Z'), completedAt: new Date('2019-05-15T15:21:14Z'), pullRequest: { number: 2 } },
    ]);
  });

  test('a check_run payload missing its head_sha fails processing, naming the field', async () => {
    const { org, github } = await orgWithSecrets();
    const bad = example('check_run', 2);
    delete bad.check_run.head_sha;
    expect(await deliverGithub(org.slug, github, 'check_run', bad)).toBe(202);
    await processPendingEvents();
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ status: 'failed', error: expect.stringContaining('check_run.head_sha') });
  });
});

describe('GitLab pipeline', () => {
  test('a finished pipeline is one run linked to its merge request, with the hook times', async () => {
    const { org, gitlab } = await orgWithSecrets();
    const pipeline = gitlabFixture('pipeline.json');
    const mr = gitlabFixture('merge_request_open.json');
    mr.project = { ...mr.project, id: pipeline.project.id, path_with_namespace: pipeline.project.path_with_namespace };
    mr.object_attributes.iid = pipeline.merge_request.iid;
    // The merge request first: the pipeline names it by iid.
    expect(await deliverGitlab(org.slug, gitlab, mr)).toBe(202);
    await processPendingEvents();
    expect(await deliverGitlab(org.slug, gitlab, pipeline)).toBe(202);
    await processPendingEvents();
    expect(await runs(org.id)).toMatchObject([
      {
        provider: 'gitlab',
        externalId: '31',
        runAttempt: 1,
        workflow: 'pipeline',
        headSha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2',
        headBranch: 'master',
        event: 'merge_request_event',
        status: 'success',
        conclusion: 'success',
        startedAt: new Date('2016-08-12T15:23:28Z'),
        completedAt: new Date('2016-08-12T15:26:29Z'),
        url: 'http://192.168.64.1:3005/gitlab-org/gitlab-test/-/pipelines/31',
        pullRequest: { number: 1 },
      },
    ]);
  });

  test('a running pipeline has no conclusion; a failed one is a failure', async () => {
    const { org, gitlab } = await orgWithSecrets();
    const running = gitlabFixture('pipeline.json');
    Object.assign(running.object_attributes, { id: 32, status: 'running', finished_at: null });
    const failed = gitlabFixture('pipeline.json');
    Object.assign(failed.object_attributes, { id: 33, status: 'failed' });
    await deliverGitlab(org.slug, gitlab, running);
    await deliverGitlab(org.slug, gitlab, failed);
    await processPendingEvents();
    expect((await runs(org.id)).map((r) => [r.externalId, r.status, r.conclusion, r.completedAt])).toEqual([
      ['32', 'running', null, null],
      ['33', 'failed', 'failure', new Date('2016-08-12T15:26:29Z')],
    ]);
  });
});
