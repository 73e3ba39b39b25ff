import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { POST as reportPOST } from '../../../app/api/orgs/[org]/ingest/ci/route.ts';
import { POST as junitPOST } from '../../../app/api/orgs/[org]/ingest/ci/[runId]/junit/route.ts';
import { createIngestToken } from '../../auth/tokens.ts';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { processPendingEvents } from '../worker.ts';

const junit = (name: string) => readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/junit', name), 'utf8');
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

async function orgWithToken() {
  const org = await seedOrg();
  const { token } = await createIngestToken({ orgId: org.id, name: 'CI', scopes: ['ingest:write'] });
  return { org, token };
}

const report = (o: Record<string, unknown> = {}) => ({
  repository: 'acme/app',
  commitSha: SHA,
  pullRequestNumber: 12,
  runId: '9001',
  attempt: 1,
  workflow: 'test',
  status: 'completed',
  conclusion: 'success',
  startedAt: '2026-03-03T10:00:00Z',
  completedAt: '2026-03-03T10:04:00Z',
  ...o,
});

async function send(slug: string, token: string | null, body: string | object, headers: Record<string, string> = {}) {
  const h = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers };
  const res = await reportPOST(new Request(`http://test/api/orgs/${slug}/ingest/ci`, { method: 'POST', headers: h, body: typeof body === 'string' ? body : JSON.stringify(body) }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json() };
}

async function upload(slug: string, token: string, runId: string, xml: string, query = '', contentType = 'application/xml') {
  const req = new Request(`http://test/api/orgs/${slug}/ingest/ci/${runId}/junit${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body: xml });
  const res = await junitPOST(req, { params: Promise.resolve({ org: slug, runId }) });
  return { status: res.status, body: await res.json() };
}

const summaries = (orgId: string) =>
  db().testResultSummary.findMany({ where: { orgId }, orderBy: [{ ciRun: { runAttempt: 'asc' } }, { suite: 'asc' }], select: { suite: true, total: true, passed: true, failed: true, errored: true, skipped: true, durationMs: true, failingTests: true, flakyTests: true, ciRun: { select: { runAttempt: true } } } });

describe('POST /api/orgs/[org]/ingest/ci', () => {
  test('stores a report with its JUnit (202), processes it into a run and suite summaries; resending answers 200', async () => {
    const { org, token } = await orgWithToken();
    const body = report({ junit: junit('jest-junit.xml'), somethingNew: { kept: true } });
    const first = await send(org.slug, token, body);
    expect(first).toMatchObject({ status: 202, body: { stored: true } });
    expect(first.body.deliveryId).toMatch(/^9001:1:run:[0-9a-f]{32}$/);
    expect(await send(org.slug, token, body)).toMatchObject({ status: 200, body: { stored: false, deliveryId: first.body.deliveryId } });
    await processPendingEvents();
    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw).toMatchObject({ source: 'ci', eventType: 'ci.run', status: 'processed', payload: expect.objectContaining({ somethingNew: { kept: true } }) });
    expect(await db().ciRun.findFirstOrThrow({ where: { orgId: org.id }, include: { repository: true } })).toMatchObject({
      provider: 'ci',
      externalId: '9001',
      runAttempt: 1,
      workflow: 'test',
      headSha: SHA,
      conclusion: 'success',
      startedAt: new Date('2026-03-03T10:00:00Z'),
      completedAt: new Date('2026-03-03T10:04:00Z'),
      repository: { owner: 'acme', name: 'app', provider: 'git' },
    });
    expect((await summaries(org.id)).map(({ ciRun: _r, ...s }) => s)).toEqual([
      { suite: '__tests__\\main.test.js', total: 4, passed: 1, failed: 3, errored: 0, skipped: 0, durationMs: 486, failingTests: expect.any(Array), flakyTests: [] },
      { suite: '__tests__\\second.test.js', total: 2, passed: 0, failed: 1, errored: 0, skipped: 1, durationMs: 82, failingTests: ['__tests__\\second.test.js › Timeout test'], flakyTests: [] },
    ]);
  });

  test.each([
    ['repository', { repository: undefined }, 'repository: Invalid input: expected string, received undefined'],
    ['commitSha', { commitSha: undefined }, 'commitSha: Invalid input: expected string, received undefined'],
    ['runId', { runId: undefined }, 'runId: Invalid input'],
    ['workflow', { workflow: undefined }, 'workflow: Invalid input: expected string, received undefined'],
    ['status', { status: undefined }, 'status: Invalid option: expected one of "queued"|"in_progress"|"completed"'],
    ['conclusion of a completed run', { conclusion: undefined }, 'conclusion: is required when status is completed'],
    ['a bad sha', { commitSha: 'not-a-sha' }, 'commitSha: must be a hex commit sha'],
    // Found by the hostile-input suite: was a 500 (encodeURIComponent throws on it).
    ['a runId with a lone surrogate', { runId: '\ud800' }, 'runId: must be well-formed Unicode text'],
  ])('a report missing or with a bad %s answers 400 naming the field and stores nothing', async (_name, change, message) => {
    const { org, token } = await orgWithToken();
    const res = await send(org.slug, token, report(change));
    expect(res).toEqual({ status: 400, body: { error: { code: 'bad_request', message } } });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('malformed JSON and malformed JUnit answer 400; another content type 415', async () => {
    const { org, token } = await orgWithToken();
    expect(await send(org.slug, token, '{"repository":')).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Body is not valid JSON' } } });
    const badXml = await send(org.slug, token, report({ junit: '<testsuite><testcase></testsuite>' }));
    expect(badXml.status).toBe(400);
    expect(badXml.body.error.message).toMatch(/^junit: not well-formed XML: /);
    expect((await send(org.slug, token, report(), { 'content-type': 'text/plain' })).status).toBe(415);
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('a body over 25 MB answers 413', async () => {
    const { org, token } = await orgWithToken();
    const res = await send(org.slug, token, report({ junit: 'x'.repeat(26 * 1024 * 1024) }));
    expect(res).toEqual({ status: 413, body: { error: { code: 'payload_too_large', message: 'Body over 26214400 bytes' } } });
  });

  test('no token answers 401; another org token 404; a token without ingest:write 403', async () => {
    const { org } = await orgWithToken();
    const other = await orgWithToken();
    const { token: readOnly } = await createIngestToken({ orgId: org.id, name: 'R', scopes: ['metrics:read'] });
    expect((await send(org.slug, null, report())).status).toBe(401);
    expect((await send(org.slug, other.token, report())).status).toBe(404);
    expect((await send(org.slug, readOnly, report())).status).toBe(403);
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });
});

describe('POST /api/orgs/[org]/ingest/ci/[runId]/junit and flaky tests', () => {
  test('a test failing on attempt 1 and passing on attempt 2 of the same sha is flaky in attempt 2, whatever order the reports come in', async () => {
    const { org, token } = await orgWithToken();
    const failing = '<testsuite name="api" time="2"><testcase name="saves"><failure/></testcase><testcase name="loads"/></testsuite>';
    const passing = '<testsuite name="api" time="1"><testcase name="saves"/><testcase name="loads"/></testsuite>';
    await send(org.slug, token, report({ conclusion: 'failure' }));
    await send(org.slug, token, report({ attempt: 2 }));
    await processPendingEvents();
    // The re-run's report first: nothing to call flaky yet; attempt 1's failure makes it due again.
    expect(await upload(org.slug, token, '9001', passing, '?attempt=2')).toMatchObject({ status: 202, body: { stored: true } });
    await processPendingEvents();
    expect(await upload(org.slug, token, '9001', failing, '?attempt=1&repository=acme/app', 'text/xml; charset=utf-8')).toMatchObject({ status: 202 });
    await processPendingEvents();
    expect((await summaries(org.id)).map((s) => [s.ciRun.runAttempt, s.failingTests, s.flakyTests])).toEqual([
      [1, ['api › saves'], []],
      [2, [], ['api › saves']],
    ]);
  });

  test('the JUnit of a run not reported yet fails processing until the run arrives', async () => {
    const { org, token } = await orgWithToken();
    await upload(org.slug, token, 'later', junit('surefire-flakyFailure-small.xml'));
    await processPendingEvents();
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ status: 'failed', error: 'CI run later attempt 1 is not reported yet' });
  });

  test('a body that is not JUnit answers 400; JSON 415; unknown query fields are accepted, a bad attempt is 400', async () => {
    const { org, token } = await orgWithToken();
    expect(await upload(org.slug, token, '1', '<html/>')).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'body: root element must be <testsuites> or <testsuite>' } } });
    expect((await upload(org.slug, token, '1', '{}', '', 'application/json')).status).toBe(415);
    expect((await upload(org.slug, token, '1', '<testsuites/>', '?attempt=0')).body.error.message).toBe('attempt: Too small: expected number to be >=1');
    expect((await upload(org.slug, token, '1', '<testsuites/>', '?attempt=1&ci=jenkins')).status).toBe(202);
  });
});
