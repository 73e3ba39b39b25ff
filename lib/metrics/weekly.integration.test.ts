import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { plantDataset } from '../../test/planted-metrics.ts';
import { createSession } from '../auth/sessions.ts';

// On test/planted-metrics.ts: figures worked out by hand from docs/metrics.md (comments give the arithmetic).

const BIN = path.join(import.meta.dirname, '../../bin/throughline.js');

async function getWeekly(slug: string, query: string, headers: Record<string, string> = {}) {
  const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/weekly?${query}`, { headers }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json() };
}

const RANGE = 'from=2026-03-02&to=2026-03-22';

describe('GET /api/orgs/[org]/metrics/weekly on a planted dataset', () => {
  test('team alpha: PRs merged, lines, and ticket-to-merge p50 per week, gaps filled', async () => {
    const org = await plantDataset();
    const { status, body } = await getWeekly(org.slug, `team=alpha&${RANGE}`, { authorization: org.authorization });
    expect(status).toBe(200);
    expect(body).toMatchObject({ org: org.slug, team: 'alpha', timeZone: 'UTC', definitionsVersion: 2 });
    expect(body.weeks).toMatchObject([
      // PRs P1, P2; lines 100 + 50 (60 AI); tickets T1 24, T2 168, T9 4, T10 6 → median of 4, 6, 24, 168 = 15
      { weekStart: '2026-03-02', prsMerged: 2, linesAdded: 150, aiLinesAdded: 60, ticketsMerged: 4, ticketToMergeP50Hours: 15 },
      // P8; 10 lines (5 AI); T3 207 h
      { weekStart: '2026-03-09', prsMerged: 1, linesAdded: 10, aiLinesAdded: 5, ticketsMerged: 1, ticketToMergeP50Hours: 207 },
      { weekStart: '2026-03-16', prsMerged: 0, linesAdded: 0, aiLinesAdded: 0, ticketsMerged: 0, ticketToMergeP50Hours: null },
    ]);
  });

  test('team beta: a mover counts for his new team, unowned work for the repository default team', async () => {
    const org = await plantDataset();
    const { body } = await getWeekly(org.slug, `team=beta&${RANGE}`, { authorization: org.authorization });
    // P3 (Bob after the move) and P5 (Carl via r2); lines 40 (40 AI) + 20; T6 24 h counted once
    expect(body.weeks[0]).toMatchObject({ weekStart: '2026-03-02', prsMerged: 2, linesAdded: 60, aiLinesAdded: 40, ticketsMerged: 1, ticketToMergeP50Hours: 24 });
    expect(body.weeks[1]).toMatchObject({ prsMerged: 0, linesAdded: 0, ticketToMergeP50Hours: null });
  });

  test('whole org without team: every team summed, one median over all tickets', async () => {
    const org = await plantDataset();
    const { body } = await getWeekly(org.slug, RANGE, { authorization: org.authorization });
    expect(body.team).toBeNull();
    // 4 PRs; 150 + 60 lines (100 AI); tickets 4, 6, 24, 24, 168 → median 24
    expect(body.weeks[0]).toMatchObject({ weekStart: '2026-03-02', prsMerged: 4, linesAdded: 210, aiLinesAdded: 100, ticketsMerged: 5, ticketToMergeP50Hours: 24 });
  });

  test('cycle time from ticket creation when the org counts from created', async () => {
    const org = await plantDataset({ cycleTimeStart: 'created' });
    const { body } = await getWeekly(org.slug, `team=alpha&${RANGE}`, { authorization: org.authorization });
    // T1 58, T2 168, T8 58 (no longer negative), T9 12, T10 34 → median 58; T3 231
    expect(body.weeks[0]).toMatchObject({ ticketsMerged: 5, ticketToMergeP50Hours: 58 });
    expect(body.weeks[1]).toMatchObject({ ticketsMerged: 1, ticketToMergeP50Hours: 231 });
  });

  test('weeks follow the org time zone', async () => {
    const org = await plantDataset({ timeZone: 'Asia/Tokyo' });
    const { body } = await getWeekly(org.slug, `team=beta&${RANGE}`, { authorization: org.authorization });
    // P5 merged Sunday 23:30 UTC = Monday 08:30 in Tokyo: it moves to W2
    expect(body.weeks.map((w: { prsMerged: number }) => w.prsMerged)).toEqual([1, 1, 0]);
  });

  test('defaults to the 12 weeks ending with the current week', async () => {
    const org = await plantDataset();
    const { status, body } = await getWeekly(org.slug, 'team=alpha', { authorization: org.authorization });
    expect(status).toBe(200);
    expect(body.weeks).toHaveLength(12);
  });
});

describe('weekly metrics as CSV and from the command line', () => {
  test('?format=csv gives one row per week and one column per figure, the same figures as JSON', async () => {
    const org = await plantDataset();
    const res = await GET(new Request(`http://test/api/orgs/${org.slug}/metrics/weekly?team=alpha&${RANGE}&format=csv`, { headers: { authorization: org.authorization } }), { params: Promise.resolve({ org: org.slug }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${org.slug}-alpha-2026-03-02-2026-03-22.csv"`);
    const [header, w1, , w3] = (await res.text()).trimEnd().split('\n');
    const columns = header!.split(',');
    const row = (line: string) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v]));
    expect(row(w1!)).toMatchObject({ weekStart: '2026-03-02', prsMerged: '2', linesAdded: '150', aiLinesAdded: '60', ticketsMerged: '4', ticketToMergeP50Hours: '15' });
    // An empty week: counts 0, times empty (null).
    expect(row(w3!)).toMatchObject({ weekStart: '2026-03-16', prsMerged: '0', ticketToMergeP50Hours: '' });
  });

  test('the CSV carries the flags of each week and the leverage on the last week, as the JSON has them', async () => {
    const org = await plantDataset();
    const { body } = await getWeekly(org.slug, `${RANGE}`, { authorization: org.authorization });
    const res = await GET(new Request(`http://test/api/orgs/${org.slug}/metrics/weekly?${RANGE}&format=csv`, { headers: { authorization: org.authorization } }), { params: Promise.resolve({ org: org.slug }) });
    const [header, ...lines] = (await res.text()).trimEnd().split('\n');
    const columns = header!.split(',');
    const rows = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
    expect(columns).toEqual(expect.arrayContaining(['distortionFlags', 'leverage.leverage', 'leverage.generationGrowth', 'leverage.throughputGrowth', 'leverage.throughputBasis']));
    const cell = (v: unknown) => (v === null ? '' : String(v));
    expect(rows.at(-1)!['leverage.leverage']).toBe(cell(body.leverage.leverage));
    expect(rows.at(-1)!['leverage.throughputBasis']).toBe(body.leverage.throughputBasis);
    expect(rows.slice(0, -1).every((r) => r['leverage.throughputBasis'] === '')).toBe(true);
    for (const [i, week] of body.weeks.entries()) {
      const flagged = body.flags.filter((f: { weekStart: string }) => f.weekStart === week.weekStart).map((f: { team: string | null }) => f.team ?? 'org');
      expect(rows[i]!.distortionFlags).toBe(flagged.join(' '));
    }
  });

  test('`throughline metrics` prints what the API answers, with no server', async () => {
    const org = await plantDataset();
    const { body } = await getWeekly(org.slug, `team=alpha&${RANGE}`, { authorization: org.authorization });
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'metrics', '--org', org.slug, '--team', 'alpha', '--from', '2026-03-02', '--to', '2026-03-22']);
    expect(JSON.parse(stdout)).toEqual(body);
    const csv = await promisify(execFile)(process.execPath, [BIN, 'metrics', '--org', org.slug, '--from', '2026-03-02', '--to', '2026-03-08', '--format', 'csv']);
    const [header, w1] = csv.stdout.split('\n');
    const cells = Object.fromEntries(header!.split(',').map((c, i) => [c, w1!.split(',')[i]]));
    expect(cells).toMatchObject({ weekStart: '2026-03-02', prsMerged: '4', linesAdded: '210', aiLinesAdded: '100', ticketsMerged: '5', ticketToMergeP50Hours: '24' });
  });
});

describe('GET /api/orgs/[org]/metrics/weekly errors', () => {
  test.each([
    ['from=2026-02-30', 'from: not a valid calendar date'],
    ['from=yesterday', 'from: must be a date as YYYY-MM-DD'],
    ['from=2026-03-10&to=2026-03-01', 'from must not be after to'],
    ['from=2020-01-01&to=2026-01-01', 'range spans 314 weeks; at most 104'],
    ['team=Not_A_Slug', 'team: must be a team slug'],
    ['colour=blue', 'Unrecognized key: "colour"'],
  ])('?%s answers 400 with a message', async (query, message) => {
    const org = await plantDataset();
    const { status, body } = await getWeekly(org.slug, query, { authorization: org.authorization });
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(message);
  });

  test('an unknown org answers 404 to a signed-in user', async () => {
    const org = await plantDataset();
    const user = await db().user.create({ data: { email: `${randomSlug('u')}@example.com` } });
    const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
    const { status, body } = await getWeekly('no-such-org', RANGE, { cookie: `next-auth.session-token=${sessionToken}` });
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'not_found', message: "Organization 'no-such-org' not found" } });
  });

  test('no credentials answer 401', async () => {
    const org = await plantDataset();
    const { status, body } = await getWeekly(org.slug, RANGE);
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  test('an unknown team answers 404', async () => {
    const org = await plantDataset();
    const { status, body } = await getWeekly(org.slug, 'team=gamma', { authorization: org.authorization });
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'not_found', message: "Team 'gamma' not found" });
  });
});
