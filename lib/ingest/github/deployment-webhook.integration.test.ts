import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, test } from 'vitest';
import { POST } from '../../../app/api/orgs/[org]/webhooks/github/route.ts';
import { randomSlug } from '../../../test/factories.ts';
import { rotateWebhookSecret } from '../../auth/webhook-secrets.ts';
import { db } from '../../db/client.ts';
import { processPendingEvents } from '../worker.ts';

// GitHub's own deployment, deployment_status and release webhook examples (@octokit/webhooks-examples),
// signed as GitHub signs them, into Deployment rows. The examples hold only `success` and
// `in_progress` statuses; failures and out-of-order statuses are those examples with the state
// and time changed.

/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are mutated copies of real payloads */
type Example = { name: string; examples: Record<string, any>[] };
const example = (name: string, index: number): Record<string, any> => structuredClone((examples as unknown as Example[]).find((e) => e.name === name)!.examples[index]!);

// deployment_status 0: deployment 145988746 of Codertocat/Hello-World (sha f95f852…, production,
// created 2019-05-15T15:20:53Z), status success at 15:20:55Z.
const SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
function status(state: string, createdAt: string) {
  const e = example('deployment_status', 0);
  e.deployment_status.state = state;
  e.deployment_status.created_at = createdAt;
  e.deployment_status.updated_at = createdAt;
  e.deployment_status.id += state.length; // another status of the same deployment
  return e;
}

async function org() {
  const o = await db().organization.create({ data: { slug: randomSlug(), name: 'Deployments' } });
  return { ...o, secret: await rotateWebhookSecret({ orgId: o.id, source: 'github' }) };
}

let n = 0;
async function deliver(o: { slug: string; secret: string }, event: string, payload: unknown, deliveryId = `dep-${++n}`) {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': deliveryId, 'x-hub-signature-256': await sign(o.secret, body) };
  return (await POST(new Request(`http://test/api/orgs/${o.slug}/webhooks/github`, { method: 'POST', headers, body }), { params: Promise.resolve({ org: o.slug }) })).status;
}

const rows = (orgId: string) =>
  db().deployment.findMany({ where: { orgId }, orderBy: { externalId: 'asc' }, select: { externalId: true, environment: true, sha: true, status: true, createdAt: true, repository: { select: { owner: true, name: true } } } });

describe('GitHub deployments', () => {
  test('deployment then its success status: one row, successful at the status time', async () => {
    const o = await org();
    expect(await deliver(o, 'deployment', example('deployment', 0))).toBe(202);
    await processPendingEvents();
    expect(await rows(o.id)).toEqual([
      { externalId: '145988746', environment: 'production', sha: SHA, status: 'created', createdAt: new Date('2019-05-15T15:20:53Z'), repository: { owner: 'Codertocat', name: 'Hello-World' } },
    ]);
    expect(await deliver(o, 'deployment_status', example('deployment_status', 0))).toBe(202);
    await processPendingEvents();
    expect(await rows(o.id)).toMatchObject([{ externalId: '145988746', status: 'success', createdAt: new Date('2019-05-15T15:20:55Z') }]);
  });

  test('redelivery is stored once and changes nothing; replaying the deployment after its status keeps the status', async () => {
    const o = await org();
    expect(await deliver(o, 'deployment_status', example('deployment_status', 0), 'same')).toBe(202);
    expect(await deliver(o, 'deployment_status', example('deployment_status', 0), 'same')).toBe(200);
    expect(await deliver(o, 'deployment', example('deployment', 0))).toBe(202);
    await processPendingEvents();
    expect(await db().rawEvent.count({ where: { orgId: o.id } })).toBe(2);
    expect(await rows(o.id)).toMatchObject([{ externalId: '145988746', status: 'success', createdAt: new Date('2019-05-15T15:20:55Z') }]);
  });

  test('statuses out of order: the latest by its own time wins, whatever order they arrive in', async () => {
    const inOrder = [status('in_progress', '2019-05-15T15:20:54Z'), status('failure', '2019-05-15T15:25:00Z'), status('success', '2019-05-15T15:30:00Z')];
    for (const deliveries of [inOrder, [...inOrder].reverse(), [inOrder[2], inOrder[0], inOrder[1]]]) {
      const o = await org();
      for (const d of deliveries) await deliver(o, 'deployment_status', d);
      await processPendingEvents();
      expect(await rows(o.id)).toMatchObject([{ status: 'success', createdAt: new Date('2019-05-15T15:30:00Z') }]);
    }
  });

  test('a failed deployment keeps its failure; inactive never replaces an outcome', async () => {
    const o = await org();
    await deliver(o, 'deployment_status', status('in_progress', '2019-05-15T15:20:54Z'));
    await deliver(o, 'deployment_status', status('failure', '2019-05-15T15:22:00Z'));
    await deliver(o, 'deployment_status', status('inactive', '2019-05-16T09:00:00Z'));
    await processPendingEvents();
    expect(await rows(o.id)).toMatchObject([{ status: 'failure', createdAt: new Date('2019-05-15T15:22:00Z') }]);
  });

  test('the github-pages example (in_progress) is a deployment of its own environment', async () => {
    const o = await org();
    await deliver(o, 'deployment_status', example('deployment_status', 1));
    await processPendingEvents();
    expect(await rows(o.id)).toMatchObject([{ externalId: '145988746', environment: 'github-pages', status: 'in_progress', createdAt: new Date('2022-01-03T01:28:40Z') }]);
  });

  test('a payload without a deployment sha is refused at processing, nothing derived', async () => {
    const o = await org();
    const bad = example('deployment_status', 0);
    delete bad.deployment.sha;
    await deliver(o, 'deployment_status', bad);
    await processPendingEvents();
    expect(await rows(o.id)).toEqual([]);
    const event = await db().rawEvent.findFirstOrThrow({ where: { orgId: o.id } });
    expect(event.error).toMatch(/deployment\.sha/);
  });
});

describe('GitHub releases', () => {
  test('a published release is a row of its publication time; its branch target leaves the sha unknown', async () => {
    const o = await org();
    expect(await deliver(o, 'release', example('release', 0))).toBe(202); // published, target_commitish "master"
    await processPendingEvents();
    expect(await rows(o.id)).toEqual([
      { externalId: 'release:17372790', environment: 'release', sha: '', status: 'success', createdAt: new Date('2019-05-15T15:20:53Z'), repository: { owner: 'Codertocat', name: 'Hello-World' } },
    ]);
  });

  test('a sha target is kept; a pre-release does not count; redelivery changes nothing', async () => {
    const o = await org();
    const published = example('release', 0);
    published.release.target_commitish = SHA;
    await deliver(o, 'release', published, 'rel');
    await deliver(o, 'release', published, 'rel');
    await processPendingEvents();
    expect(await rows(o.id)).toMatchObject([{ externalId: 'release:17372790', sha: SHA, status: 'success' }]);
    await deliver(o, 'release', example('release', 8)); // prereleased
    await processPendingEvents();
    expect(await rows(o.id)).toMatchObject([{ externalId: 'release:17372790', sha: '', status: 'prerelease' }]);
  });

  test('a deleted release stays deleted, even when an older delivery is processed after', async () => {
    const o = await org();
    await deliver(o, 'release', example('release', 4)); // deleted
    await processPendingEvents();
    await deliver(o, 'release', example('release', 0)); // published
    await processPendingEvents();
    expect(await rows(o.id)).toMatchObject([{ externalId: 'release:17372790', status: 'deleted' }]);
  });
});
