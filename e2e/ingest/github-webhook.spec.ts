import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import pg from 'pg';
import { expect, test } from '../fixtures.ts';
import { serverDatabaseUrl, throughline } from '../server-database.ts';

// A signed delivery to the running production server is acknowledged once stored, and the worker
// inside that server turns it into a pull request within moments.
const slug = `hooks-${Date.now().toString(36)}`;

test('a signed GitHub delivery is stored (202), processed by the in-server worker, and a redelivery answers 200', async ({ request }) => {
  throughline(['org', 'create', slug, '--name', 'Hooks']);
  const secret = throughline(['webhook', 'secret', '--org', slug, '--source', 'github']).match(/^Secret: (\S+)$/m)![1]!;
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Record<string, unknown>[] }[];
  const body = JSON.stringify(examples.find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened'));
  const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': `e2e-${slug}`, 'x-hub-signature-256': await sign(secret, body) };

  const first = await request.post(`/api/orgs/${slug}/webhooks/github`, { headers, data: body });
  expect(first.status()).toBe(202);
  const again = await request.post(`/api/orgs/${slug}/webhooks/github`, { headers, data: body });
  expect(again.status()).toBe(200);

  const client = new pg.Client({ connectionString: serverDatabaseUrl() });
  await client.connect();
  try {
    await expect
      .poll(async () => (await client.query(`SELECT p.number, p.state FROM "PullRequest" p JOIN "Organization" o ON o.id = p."orgId" WHERE o.slug = $1`, [slug])).rows, { timeout: 15_000 })
      .toEqual([{ number: 2, state: 'open' }]);
    const events = await client.query(`SELECT r.status FROM "RawEvent" r JOIN "Organization" o ON o.id = r."orgId" WHERE o.slug = $1`, [slug]);
    expect(events.rows).toEqual([{ status: 'processed' }]);
  } finally {
    await client.end();
  }
});
