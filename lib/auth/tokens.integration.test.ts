import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { createIngestToken, hashToken, listIngestTokens, revokeIngestToken } from './tokens.ts';

async function org() {
  return db().organization.create({ data: { slug: randomSlug(), name: 'Token org' } });
}

async function getWeekly(slug: string, authorization?: string) {
  const headers = authorization ? { authorization } : undefined;
  const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/weekly`, { headers }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json() };
}

describe('ingest tokens', () => {
  test('are shown once and stored only as a hash', async () => {
    const a = await org();
    const { token, record } = await createIngestToken({ orgId: a.id, name: 'CI', scopes: ['metrics:read'] });
    expect(token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);
    expect(record).not.toHaveProperty('tokenHash');
    expect(record.prefix).toBe(token.slice(0, 10));
    const [stored] = await db().$queryRaw<{ tokenHash: string; row: string }[]>`
      SELECT "tokenHash", row_to_json(t)::text AS row FROM "IngestToken" t WHERE "orgId" = ${a.id}`;
    expect(stored!.tokenHash).toBe(hashToken(token));
    expect(stored!.row).not.toContain(token);
    expect(await listIngestTokens({ orgId: a.id })).toEqual([expect.not.objectContaining({ tokenHash: expect.anything() })]);
  });

  test("authorize reads of their own org, even a private one, and record when they were used", async () => {
    const a = await org();
    const { token, record } = await createIngestToken({ orgId: a.id, name: 'CI', scopes: ['metrics:read'] });
    const { status } = await getWeekly(a.slug, `Bearer ${token}`);
    expect(status).toBe(200);
    const after = await db().ingestToken.findFirst({ where: { orgId: a.id, id: record.id } });
    expect(after!.lastUsedAt).toBeInstanceOf(Date);
  });

  test.each([
    ['an unknown token', () => 'Bearer tl_' + 'x'.repeat(43)],
    ['a malformed token', () => 'Bearer not-a-token'],
    ['a header that is not Bearer', () => 'Basic dXNlcjpwYXNz'],
  ])('%s answers 401', async (_name, header) => {
    const a = await org();
    const { status, body } = await getWeekly(a.slug, header());
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  test('a bad token answers 401 whether or not the org exists, so it learns nothing', async () => {
    const { status } = await getWeekly('no-such-org', 'Bearer tl_' + 'y'.repeat(43));
    expect(status).toBe(401);
  });

  test('a revoked token stops working at once', async () => {
    const a = await org();
    const { token, record } = await createIngestToken({ orgId: a.id, name: 'CI', scopes: ['metrics:read'] });
    expect((await getWeekly(a.slug, `Bearer ${token}`)).status).toBe(200);
    await revokeIngestToken({ orgId: a.id, id: record.id });
    expect((await getWeekly(a.slug, `Bearer ${token}`)).status).toBe(401);
  });

  test('an expired token answers 401', async () => {
    const a = await org();
    const { token } = await createIngestToken({ orgId: a.id, name: 'old', scopes: ['metrics:read'], expiresAt: new Date(Date.now() - 1000) });
    expect((await getWeekly(a.slug, `Bearer ${token}`)).status).toBe(401);
  });

  test("another org's token answers 404, as if the org did not exist", async () => {
    const [a, b] = await Promise.all([org(), org()]);
    const { token } = await createIngestToken({ orgId: b.id, name: 'B', scopes: ['metrics:read'] });
    const { status, body } = await getWeekly(a.slug, `Bearer ${token}`);
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'not_found', message: `Organization '${a.slug}' not found` });
  });

  test('a token without the route\'s scope answers 403', async () => {
    const a = await org();
    const { token } = await createIngestToken({ orgId: a.id, name: 'ingest only', scopes: ['ingest:write'] });
    const { status, body } = await getWeekly(a.slug, `Bearer ${token}`);
    expect(status).toBe(403);
    expect(body.error).toEqual({ code: 'forbidden', message: 'This token lacks the scope this route needs (metrics:read)' });
  });

  test("revoking another org's token is refused as not found", async () => {
    const [a, b] = await Promise.all([org(), org()]);
    const { record } = await createIngestToken({ orgId: b.id, name: 'B', scopes: ['metrics:read'] });
    await expect(revokeIngestToken({ orgId: a.id, id: record.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});
