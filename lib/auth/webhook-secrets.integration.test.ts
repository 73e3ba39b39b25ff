import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { getWebhookSecret, rotateWebhookSecret, webhookUrl } from './webhook-secrets.ts';


async function org() {
  return db().organization.create({ data: { slug: randomSlug(), name: 'Webhook org' } });
}

describe('webhook secrets', () => {
  test('are generated, stored encrypted, and readable back for their org and source only', async () => {
    const [a, b] = await Promise.all([org(), org()]);
    const secret = await rotateWebhookSecret({ orgId: a.id, source: 'github' });
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await db().$queryRaw<{ row: string }[]>`SELECT row_to_json(w)::text AS row FROM "WebhookSecret" w WHERE "orgId" = ${a.id}`;
    expect(row!.row).not.toContain(secret);
    expect(await getWebhookSecret({ orgId: a.id, source: 'github' })).toBe(secret);
    expect(await getWebhookSecret({ orgId: a.id, source: 'gitlab' })).toBeNull();
    expect(await getWebhookSecret({ orgId: b.id, source: 'github' })).toBeNull();
  });

  test('rotating replaces the live secret', async () => {
    const a = await org();
    const first = await rotateWebhookSecret({ orgId: a.id, source: 'jira' });
    const second = await rotateWebhookSecret({ orgId: a.id, source: 'jira' });
    expect(second).not.toBe(first);
    expect(await getWebhookSecret({ orgId: a.id, source: 'jira' })).toBe(second);
    expect(await db().webhookSecret.count({ where: { orgId: a.id, source: 'jira', revokedAt: null } })).toBe(1);
  });

  test('webhookUrl names the org and source', () => {
    expect(webhookUrl('https://tl.example.com/', 'acme', 'linear')).toBe('https://tl.example.com/api/orgs/acme/webhooks/linear');
  });
});
