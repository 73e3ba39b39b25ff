import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as oidc from '../app/api/orgs/[org]/settings/sso/oidc/route.ts';
import * as tokens from '../app/api/orgs/[org]/settings/tokens/route.ts';
import * as webhook from '../app/api/orgs/[org]/settings/webhook-secrets/[source]/route.ts';
import * as weekly from '../app/api/orgs/[org]/metrics/weekly/route.ts';
import { createSession } from './auth/sessions.ts';
import { db } from './db/client.ts';
import { log } from './log.ts';
import { randomSlug } from '../test/factories.ts';

// No secret (client secret, webhook secret, token, session) may reach a log line: the flows that
// handle them run with every log level on, and everything written to stdout is searched.

let written: string[] = [];
beforeEach(() => {
  written = [];
  log.level = 'trace';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  log.level = 'info';
});

type Route = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(route: Route, slug: string, headers: Record<string, string>, init: { method?: string; body?: unknown; params?: Record<string, string> } = {}) {
  const req = new Request(`http://test/api/orgs/${slug}/x`, { method: init.method ?? 'GET', headers: { 'content-type': 'application/json', ...headers }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return route(req, { params: Promise.resolve({ org: slug, ...init.params }) });
}

describe('logs', () => {
  test('hold no secret from the sign-in, token and webhook flows, even when a request fails', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Logged' } });
    const user = await db().user.create({ data: { email: `${randomSlug('admin')}@example.com` } });
    await db().membership.create({ data: { orgId: org.id, userId: user.id, role: 'admin' } });
    const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
    const cookie = { cookie: `next-auth.session-token=${sessionToken}` };

    const clientSecret = 'oidc-client-secret-0123456789';
    await call(oidc.PUT, org.slug, cookie, { method: 'PUT', body: { issuer: 'https://idp.example.com', clientId: 'c', clientSecret, allowedDomains: ['example.com'] } });
    const created = await (await call(tokens.POST, org.slug, cookie, { method: 'POST', body: { name: 'CI', scopes: ['metrics:read'] } })).json();
    const { secret } = await (await call(webhook.POST, org.slug, cookie, { method: 'POST', params: { source: 'github' } })).json();
    await call(weekly.GET, org.slug, { authorization: `Bearer ${created.token}` });
    await call(weekly.GET, org.slug, { authorization: 'Bearer tl_' + 'z'.repeat(43) });
    // What a careless call site might log: the redaction list must catch it.
    log.error({ headers: { authorization: `Bearer ${created.token}`, cookie: cookie.cookie }, secret, clientSecret, token: created.token }, 'careless');

    const output = written.join('');
    expect(output).toContain('careless');
    for (const value of [clientSecret, created.token, secret, sessionToken]) expect(output).not.toContain(value);
  });
});
