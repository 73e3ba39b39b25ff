import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createSession } from '../lib/auth/sessions.ts';
import { createIngestToken, TOKEN_SCOPES } from '../lib/auth/tokens.ts';
import { db } from '../lib/db/client.ts';
import { randomSlug } from './factories.ts';

// Tenant isolation, walked over every API route in the app: the list comes from the file system,
// so a new route is covered (or flagged) without anyone remembering to add it here.

const API_DIR = path.join(import.meta.dirname, '../app/api');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Routes outside any org, and why they need no tenant check. */
const NOT_TENANT_SCOPED: Record<string, string> = {
  'health': 'answers only whether the database is reachable',
  'sign-out': "ends the caller's own session, whatever org",
  'openapi.json': 'the public description of the API, the same for everyone',
  'auth/[...nextauth]': "next-auth's sign-in endpoints; the org comes from the provider id and only its own IdP is offered",
};

function listRoutes(): string[] {
  return readdirSync(API_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f) === 'route.ts')
    .map((f) => path.dirname(f).split(path.sep).join('/'))
    .sort();
}

const routes = listRoutes();
const orgRoutes = routes.filter((r) => r.startsWith('orgs/[org]'));

async function orgWithData() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Isolated' } });
  const team = await db().team.create({ data: { orgId: org.id, slug: 'core', name: 'Core' } });
  const user = await db().user.create({ data: { email: `${randomSlug('member')}@example.com` } });
  await db().membership.create({ data: { orgId: org.id, userId: user.id, role: 'owner' } });
  const { record: token } = await createIngestToken({ orgId: org.id, name: 'A', scopes: ['ingest:write'] });
  const person = await db().person.create({ data: { orgId: org.id, displayName: 'Ann' } });
  const rule = await db().aiAttributionRule.create({ data: { orgId: org.id, kind: 'commit_trailer', pattern: '^AI-Agent:' } });
  const repo = await db().repository.create({ data: { orgId: org.id, provider: 'github', owner: 'acme', name: 'app' } });
  const run = await db().ciRun.create({ data: { orgId: org.id, repositoryId: repo.id, provider: 'ci', externalId: '7', workflow: 'ci', headSha: 'a'.repeat(40), status: 'completed' } });
  const credential = await db().sourceCredential.create({ data: { orgId: org.id, source: 'copilot', target: 'acme', tokenEnc: 'not-read-here' } });
  const annotation = await db().annotation.create({ data: { orgId: org.id, teamId: team.id, date: new Date('2026-03-02T00:00:00Z'), label: 'Adopted a test harness' } });
  const actionItem = await db().actionItem.create({ data: { orgId: org.id, teamId: team.id, weekStart: new Date('2026-03-02T00:00:00Z'), text: 'Split the flaky suite' } });
  const membership = await db().teamMembership.create({ data: { orgId: org.id, teamId: team.id, personId: person.id, validFrom: new Date('2026-01-05T00:00:00Z') } });
  // Real ids of org A's own rows, so a 404 proves isolation, not a missing row.
  return {
    org,
    params: { org: org.slug, team: team.slug, userId: user.id, tokenId: token.id, source: 'github', personId: person.id, ruleId: rule.id, runId: run.externalId, credentialId: credential.id, annotationId: annotation.id, week: '2026-03-02', actionItemId: actionItem.id, teamId: team.id, membershipId: membership.id, repositoryId: repo.id } as Record<string, string>,
  };
}

/**
 * Webhook receivers authenticate by the sender's signature alone: any other credential is the
 * same 401 as no credential, for every org (they reveal nothing either way). Every other route
 * answers another org's caller 404.
 */
function expectedForForeignCredentials(route: string): number {
  return route.includes('/webhooks/') ? 401 : 404;
}

type RouteModule = Partial<Record<(typeof METHODS)[number], (req: Request, ctx: unknown) => Promise<Response>>>;

async function importRoute(route: string): Promise<RouteModule> {
  return import(/* @vite-ignore */ path.join(API_DIR, route, 'route.ts'));
}

function fill(route: string, params: Record<string, string>): { url: string; params: Record<string, string> } {
  const used: Record<string, string> = {};
  const url = route.replace(/\[(\w+)\]/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`route ${route}: give the isolation test a value for [${name}]`);
    used[name] = value;
    return value;
  });
  return { url: `http://test/api/${url}`, params: used };
}

describe('tenant isolation over every API route', () => {
  test('every route is either under orgs/[org] or listed as not tenant-scoped', () => {
    expect(routes.filter((r) => !r.startsWith('orgs/[org]') && !(r in NOT_TENANT_SCOPED))).toEqual([]);
    expect(orgRoutes.length).toBeGreaterThan(0);
  });

  test.each(orgRoutes)("org B's token on org A's %s answers 404 for every method", async (route) => {
    const [a, b] = await Promise.all([orgWithData(), orgWithData()]);
    const { token } = await createIngestToken({ orgId: b.org.id, name: 'B', scopes: [...TOKEN_SCOPES] });
    const mod = (await importRoute(route));
    const handlers = METHODS.filter((m) => typeof mod[m] === 'function');
    expect(handlers.length).toBeGreaterThan(0);
    for (const method of handlers) {
      const { url, params } = fill(route, a.params);
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
      const res = await mod[method]!(new Request(url, { method, body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }), { params: Promise.resolve(params) });
      expect({ method, status: res.status }).toEqual({ method, status: expectedForForeignCredentials(route) });
    }
  });

  // Anonymous: 401 where the route needs credentials (whatever the org), 404 where it is public
  // but the org is not open to it (demo sign-in of a non-demo org); never data, never 403.
  test.each(orgRoutes)("org B's owner session on org A's %s answers 404 for every method", async (route) => {
    const [a, b] = await Promise.all([orgWithData(), orgWithData()]);
    const owner = await db().membership.findFirstOrThrow({ where: { orgId: b.org.id, role: 'owner' } });
    const { sessionToken } = await createSession({ userId: owner.userId, orgId: b.org.id });
    const mod = await importRoute(route);
    for (const method of METHODS.filter((m) => typeof mod[m] === 'function')) {
      const { url, params } = fill(route, a.params);
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
      const headers = { cookie: `next-auth.session-token=${sessionToken}`, 'content-type': 'application/json' };
      const res = await mod[method]!(new Request(url, { method, body, headers }), { params: Promise.resolve(params) });
      expect({ method, status: res.status }).toEqual({ method, status: expectedForForeignCredentials(route) });
    }
  });

  test.each(orgRoutes)("anonymous requests to a private org's %s answer 401 or 404", async (route) => {
    const a = await orgWithData();
    const mod = (await importRoute(route));
    for (const method of METHODS.filter((m) => typeof mod[m] === 'function')) {
      const { url, params } = fill(route, a.params);
      const res = await mod[method]!(new Request(url, { method, headers: { 'content-type': 'application/json' } }), { params: Promise.resolve(params) });
      expect([401, 404]).toContain(res.status);
    }
  });
});
