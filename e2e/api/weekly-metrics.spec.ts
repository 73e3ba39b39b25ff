import { expect, test } from '../fixtures.ts';

test.describe('with a demo session', () => {
  test.beforeEach(async ({ request }) => {
    const res = await request.post('/api/orgs/demo/demo-sign-in', { maxRedirects: 0 });
    expect(res.status()).toBe(303);
  });

  test('GET /api/orgs/demo/metrics/weekly answers the weeks of the demo team', async ({ request }) => {
    const res = await request.get('/api/orgs/demo/metrics/weekly?team=platform');
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ org: 'demo', team: 'platform', timeZone: 'UTC', definitionsVersion: 2 });
    expect(body.weeks).toHaveLength(12);
    expect(body.weeks.some((w: { prsMerged: number }) => w.prsMerged > 0)).toBe(true);
  });

  test('GET /api/orgs/demo/metrics/weekly with a bad date answers 400 with a message', async ({ request }) => {
    const res = await request.get('/api/orgs/demo/metrics/weekly?from=2026-02-30');
    expect(res.status()).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: 'from: not a valid calendar date' } });
  });
});

test('GET /api/orgs/demo/metrics/weekly without credentials answers 401', async ({ request }) => {
  const res = await request.get('/api/orgs/demo/metrics/weekly');
  expect(res.status()).toBe(401);
  expect((await res.json()).error.code).toBe('unauthorized');
});
