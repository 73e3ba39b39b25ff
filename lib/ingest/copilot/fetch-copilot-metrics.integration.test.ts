import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { encryptSecret } from '../../auth/secrets.ts';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { processPendingEvents } from '../worker.ts';
import { COPILOT_FETCH_EVERY_MS, fetchCopilotMetrics } from './fetch-copilot-metrics.ts';

// The metrics API served on loopback from GitHub's documented answer (test/fixtures/copilot), the
// way GitHub answers: the org's days, a team's days, and 404 for an org without Copilot metrics.

/* eslint-disable @typescript-eslint/no-explicit-any -- building API answers from the recorded one */
const orgDays: any[] = JSON.parse(readFileSync(new URL('../../../test/fixtures/copilot/org_copilot_metrics.json', import.meta.url), 'utf8'));
const teamDays = structuredClone(orgDays);
teamDays[0].total_active_users = 5;
teamDays[0].total_engaged_users = 4;

const requests: { url: string; authorization: string | undefined }[] = [];
let server: http.Server;
let apiUrl = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const path = new URL(req.url ?? '', 'http://x').pathname;
    const answer = path === '/orgs/octo-org/copilot/metrics' ? orgDays : path === '/orgs/octo-org/team/platform/copilot/metrics' ? teamDays : null;
    if (!answer) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Copilot Usage Metrics API access is disabled for this organization.', status: '404' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const credential = (orgId: string, target: string, token: string) => db().sourceCredential.create({ data: { orgId, source: 'copilot', target, tokenEnc: encryptSecret(token) } });

test("fetches each Copilot credential's metrics with its token, stores them raw and records the fetch; a failing one records its error and the others go on", async () => {
  const org = await seedOrg();
  await credential(org.id, 'octo-org', 'ghp_org');
  await credential(org.id, 'octo-org/platform', 'ghp_team');
  await credential(org.id, 'no-copilot-org', 'ghp_other');
  const now = new Date('2026-03-02T12:00:00Z');

  const results = await fetchCopilotMetrics({ orgId: org.id, apiUrl, now });
  expect(results).toEqual([
    { orgId: org.id, target: 'no-copilot-org', days: 0, stored: false, error: 'GitHub answered 404: Copilot Usage Metrics API access is disabled for this organization.' },
    { orgId: org.id, target: 'octo-org', days: 1, stored: true, error: null },
    { orgId: org.id, target: 'octo-org/platform', days: 1, stored: true, error: null },
  ]);
  expect(requests.map((r) => [r.url, r.authorization])).toEqual([
    ['/orgs/no-copilot-org/copilot/metrics?per_page=100', 'token ghp_other'],
    ['/orgs/octo-org/copilot/metrics?per_page=100', 'token ghp_org'],
    ['/orgs/octo-org/team/platform/copilot/metrics?per_page=100', 'token ghp_team'],
  ]);
  expect(await db().sourceCredential.findMany({ where: { orgId: org.id }, orderBy: { target: 'asc' }, select: { target: true, lastFetchAt: true, lastError: true } })).toEqual([
    { target: 'no-copilot-org', lastFetchAt: now, lastError: results[0]!.error },
    { target: 'octo-org', lastFetchAt: now, lastError: null },
    { target: 'octo-org/platform', lastFetchAt: now, lastError: null },
  ]);

  await processPendingEvents();
  const totals = await db().aiToolDailyTotal.findMany({ where: { orgId: org.id }, orderBy: { scope: 'asc' } });
  // The org's figures are the documented example's (989 suggestions: see copilot-import.integration.test.ts).
  expect(totals.map((t) => [t.scope, t.activeUsers, t.engagedUsers, t.suggestions, t.chatTurns])).toEqual([
    ['org', 24, 20, 989, 93],
    ['team:platform', 5, 4, 989, 93],
  ]);
  expect(await db().rawEvent.findMany({ where: { orgId: org.id }, select: { source: true, eventType: true, status: true } })).toEqual([
    { source: 'copilot', eventType: 'copilot.metrics', status: 'processed' },
    { source: 'copilot', eventType: 'copilot.metrics', status: 'processed' },
  ]);

  // The schedule: nothing is due within 6 hours of the last attempt; an unchanged answer is the same delivery.
  expect(await fetchCopilotMetrics({ orgId: org.id, apiUrl, onlyDue: true, now: new Date(now.getTime() + COPILOT_FETCH_EVERY_MS - 1000) })).toEqual([]);
  const later = await fetchCopilotMetrics({ orgId: org.id, apiUrl, onlyDue: true, now: new Date(now.getTime() + COPILOT_FETCH_EVERY_MS + 1000) });
  expect(later.map((r) => [r.target, r.stored])).toEqual([
    ['no-copilot-org', false],
    ['octo-org', false],
    ['octo-org/platform', false],
  ]);
  expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(2);
});

test('a target that is not "org" or "org/team" is recorded as an error without a request', async () => {
  const org = await seedOrg();
  await credential(org.id, 'a/b/c', 'ghp_x');
  const before = requests.length;
  expect(await fetchCopilotMetrics({ orgId: org.id, apiUrl })).toEqual([{ orgId: org.id, target: 'a/b/c', days: 0, stored: false, error: `target 'a/b/c' must be "org" or "org/team-slug"` }]);
  expect(requests.length).toBe(before);
});
