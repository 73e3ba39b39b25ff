import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { setOidcConnection } from '../auth/sso-connections.ts';
import { createIngestToken, revokeIngestToken } from '../auth/tokens.ts';
import { rotateWebhookSecret } from '../auth/webhook-secrets.ts';
import { listAudit } from './audit-log.ts';


describe('audit log', () => {
  test('records admin actions with their actor, newest first, and no secret', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Audited' } });
    const admin = await db().user.create({ data: { email: `${randomSlug('admin')}@example.com` } });
    const { token, record } = await createIngestToken({ orgId: org.id, name: 'CI', scopes: ['ingest:write'], createdById: admin.id });
    await revokeIngestToken({ orgId: org.id, id: record.id, actorUserId: admin.id });
    await setOidcConnection({ orgId: org.id, actorUserId: admin.id, issuer: 'https://idp.example.com', clientId: 'c', clientSecret: 'oidc-secret-value', allowedDomains: ['example.com'] });
    const webhookSecret = await rotateWebhookSecret({ orgId: org.id, source: 'github' });

    const entries = await listAudit({ orgId: org.id });
    expect(entries.map((e) => [e.action, e.actorUserId])).toEqual([
      ['webhook_secret.rotate', null],
      ['sso.oidc_set', admin.id],
      ['token.revoke', admin.id],
      ['token.create', admin.id],
    ]);
    expect(entries[3]!.detail).toEqual({ name: 'CI', scopes: ['ingest:write'] });
    const text = JSON.stringify(entries);
    for (const secret of [token, 'oidc-secret-value', webhookSecret]) expect(text).not.toContain(secret);
  });

  test("an org's log holds none of another org's entries", async () => {
    const [a, b] = await Promise.all([1, 2].map(() => db().organization.create({ data: { slug: randomSlug(), name: 'x' } })));
    await createIngestToken({ orgId: a!.id, name: 'A', scopes: ['ingest:write'] });
    expect(await listAudit({ orgId: b!.id })).toEqual([]);
  });
});
