import { beforeAll, describe, expect, test } from 'vitest';
import { POST as ciPOST } from '../../app/api/orgs/[org]/ingest/ci/route.ts';
import { POST as demoSignInPOST } from '../../app/api/orgs/[org]/demo-sign-in/route.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { resetEnvCache } from '../env.ts';
import { seedOrg } from '../../test/factories.ts';

// Small limits for this file (each test file has its own module instances, so its own limiters).
beforeAll(() => {
  process.env.THROUGHLINE_TOKEN_RATE_PER_MINUTE = '3';
  process.env.THROUGHLINE_SIGN_IN_RATE_PER_MINUTE = '2';
  resetEnvCache();
});

const report = (runId: string) => ({
  repository: 'acme/app', commitSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', runId, attempt: 1, workflow: 'test',
  status: 'completed', conclusion: 'success', startedAt: '2026-03-03T10:00:00Z', completedAt: '2026-03-03T10:04:00Z',
});

async function sendCi(slug: string, token: string, runId: string) {
  const request = new Request(`http://test/api/orgs/${slug}/ingest/ci`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(report(runId)),
  });
  return ciPOST(request, { params: Promise.resolve({ org: slug }) });
}

describe('rate limits', () => {
  test('a token past its per-minute limit gets 429 with Retry-After; another token of the org is unaffected', async () => {
    const org = await seedOrg();
    const [{ token: a }, { token: b }] = await Promise.all([
      createIngestToken({ orgId: org.id, name: 'a', scopes: ['ingest:write'] }),
      createIngestToken({ orgId: org.id, name: 'b', scopes: ['ingest:write'] }),
    ]);
    for (let i = 0; i < 3; i++) expect((await sendCi(org.slug, a, `run-${i}`)).status).toBe(202);
    const limited = await sendCi(org.slug, a, 'run-3');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('too many requests') } });
    expect((await sendCi(org.slug, b, 'run-4')).status).toBe(202);
  });

  test('sign-in attempts are limited per client address and org', async () => {
    const org = await seedOrg();
    const attempt = (address: string, slug = org.slug) =>
      demoSignInPOST(new Request(`http://test/api/orgs/${slug}/demo-sign-in`, { method: 'POST', headers: { 'x-forwarded-for': address } }), { params: Promise.resolve({ org: slug }) });
    // Not a demo org: refused (404), but each attempt counts.
    expect((await attempt('10.0.0.1')).status).toBe(404);
    expect((await attempt('10.0.0.1')).status).toBe(404);
    const limited = await attempt('10.0.0.1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another address, or the same address at another org, still gets through to the check.
    expect((await attempt('10.0.0.2')).status).toBe(404);
    expect((await attempt('10.0.0.1', `${org.slug}-x`)).status).toBe(404);
  });
});
