import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { seedOrg } from '../../test/factories.ts';
import { storeRawEvent } from '../ingest/raw-events.ts';
import { replayOrg } from '../ingest/replay.ts';
import { processPendingEvents } from '../ingest/worker.ts';

// Linear's `Issue` delivery (recorded, WEB-44) and `Attachment` delivery (built from the SDK's
// types, test/fixtures/linear/README.md) attaching GitHub's example pull request
// Codertocat/Hello-World#2 (@octokit/webhooks-examples); GitLab's recorded merge request hook.

/* eslint-disable @typescript-eslint/no-explicit-any -- editing recorded payloads */
const fixture = (dir: string, name: string): any => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../test/fixtures', dir, `${name}.json`), 'utf8'));
const pullRequestOpened = () => structuredClone((examples as unknown as { name: string; examples: any[] }[]).find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened'));

function attachment(o: { id?: string; url?: string; action?: string } = {}) {
  const a = fixture('linear', 'attachment_create');
  Object.assign(a.data, { ...(o.id ? { id: o.id } : {}), ...(o.url ? { url: o.url } : {}) });
  return { ...a, action: o.action ?? 'create' };
}

let n = 0;
async function deliver(orgId: string, source: 'github' | 'gitlab' | 'linear', eventType: string, payload: any) {
  await storeRawEvent({ orgId, source, eventType, deliveryId: `t-${++n}`, headers: {}, payload });
  await processPendingEvents();
  expect(await db().rawEvent.count({ where: { orgId, status: 'failed' } })).toBe(0);
}
const pullRequest = (orgId: string) => deliver(orgId, 'github', 'pull_request', pullRequestOpened());
const issue = (orgId: string) => deliver(orgId, 'linear', 'Issue', fixture('linear', 'issue_create'));

const links = async (orgId: string) =>
  (await db().ticketPullRequestLink.findMany({ where: { orgId }, include: { ticket: true, pullRequest: true } })).map((l) => `${l.ticket.key} ${l.foundBy} ${l.pullRequest.url}`).sort();
const LINKED = ['WEB-44 tracker_attachment https://github.com/Codertocat/Hello-World/pull/2'];

describe('links from tracker attachments', () => {
  test.each([
    ['pull request, issue, attachment', ['pr', 'issue', 'attachment']],
    ['issue, attachment, then the pull request', ['issue', 'attachment', 'pr']],
    ['attachment before its issue, pull request last', ['attachment', 'issue', 'pr']],
    ['attachment, pull request, then the issue', ['attachment', 'pr', 'issue']],
  ])('a Linear attachment naming a GitHub pull request links its ticket to it: %s', async (_name, order) => {
    const org = await seedOrg();
    for (const step of order) {
      if (step === 'pr') await pullRequest(org.id);
      if (step === 'issue') await issue(org.id);
      if (step === 'attachment') await deliver(org.id, 'linear', 'Attachment', attachment());
    }
    expect(await links(org.id)).toEqual(LINKED);
    const [link] = await db().ticketPullRequestLink.findMany({ where: { orgId: org.id } });
    expect(link!.foundBy).toBe('tracker_attachment');
  });

  test('a GitLab merge request attachment links to the stored merge request', async () => {
    const org = await seedOrg();
    await deliver(org.id, 'gitlab', 'merge_request', fixture('gitlab', 'merge_request_open'));
    await issue(org.id);
    await deliver(org.id, 'linear', 'Attachment', attachment({ url: 'https://gitlab.com/demoaccount2-commits-group/test_ci_tmp/-/merge_requests/3' }));
    expect(await links(org.id)).toEqual(['WEB-44 tracker_attachment https://gitlab.com/demoaccount2-commits-group/test_ci_tmp/-/merge_requests/3']);
  });

  test('attachments that are not pull requests link nothing and leave no marker', async () => {
    const org = await seedOrg();
    await pullRequest(org.id);
    await issue(org.id);
    for (const url of [
      'https://github.com/Codertocat/Hello-World/issues/1',
      'https://github.com/Codertocat/Hello-World/commit/ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      'https://acme.slack.com/archives/C04QX2L7T9R/p1681207816078',
      'https://github.com/Codertocat/Hello-World/pull/3', // a pull request Throughline does not have
    ]) {
      await deliver(org.id, 'linear', 'Attachment', attachment({ id: `a-${++n}`, url }));
    }
    expect(await links(org.id)).toEqual([]);
    expect(await db().rawEvent.count({ where: { orgId: org.id, eventType: 'ticket.attachment' } })).toBe(2); // #3's two lookup markers
  });

  test('a removal unlinks, and the create delivered again after it does not bring the link back', async () => {
    const org = await seedOrg();
    await pullRequest(org.id);
    await issue(org.id);
    await deliver(org.id, 'linear', 'Attachment', attachment());
    expect(await links(org.id)).toEqual(LINKED);
    await deliver(org.id, 'linear', 'Attachment', attachment({ action: 'remove' }));
    expect(await links(org.id)).toEqual([]);
    await deliver(org.id, 'linear', 'Attachment', attachment());
    expect(await links(org.id)).toEqual([]);
    // Attached again later: a new attachment id.
    await deliver(org.id, 'linear', 'Attachment', attachment({ id: 'c3f1e9a7-0000-4b2d-8e6f-1a2b3c4d5e6f' }));
    expect(await links(org.id)).toEqual(LINKED);
  });

  test('a pull request update keeps the attachment link, which other ways of linking never remove', async () => {
    const org = await seedOrg();
    await issue(org.id);
    await deliver(org.id, 'linear', 'Attachment', attachment());
    const edited = pullRequestOpened();
    Object.assign(edited, { action: 'edited' });
    Object.assign(edited.pull_request, { title: 'WEB-44: update the README', updated_at: '2030-01-01T00:00:00Z' });
    await deliver(org.id, 'github', 'pull_request', edited);
    expect(await links(org.id)).toEqual(['WEB-44 pr_title https://github.com/Codertocat/Hello-World/pull/2', ...LINKED]);
  });

  test('replaying the org gives the same links', async () => {
    const org = await seedOrg();
    await deliver(org.id, 'linear', 'Attachment', attachment());
    await issue(org.id);
    await pullRequest(org.id);
    await deliver(org.id, 'linear', 'Attachment', attachment({ id: 'a-removed', url: 'https://gitlab.com/demoaccount2-commits-group/test_ci_tmp/-/merge_requests/3' }));
    await deliver(org.id, 'gitlab', 'merge_request', fixture('gitlab', 'merge_request_open'));
    await deliver(org.id, 'linear', 'Attachment', attachment({ id: 'a-removed', url: 'https://gitlab.com/demoaccount2-commits-group/test_ci_tmp/-/merge_requests/3', action: 'remove' }));
    expect(await links(org.id)).toEqual(LINKED);
    await replayOrg({ orgId: org.id });
    expect(await links(org.id)).toEqual(LINKED);
    expect(await db().rawEvent.count({ where: { orgId: org.id, status: 'failed' } })).toBe(0);
  });
});
