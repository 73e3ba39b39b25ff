import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '../../db/client.ts';
import { randomSlug } from '../../../test/factories.ts';
import { redeliverFailedGithubDeliveries } from './redeliver-failed.ts';

// GitHub's documented deliveries list (an original and its redelivery, both 200), plus failed
// deliveries made for the test: one that never reached the raw log, one that did.
const documented = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/github/rest_hook_deliveries.json'), 'utf8'));
const recent = (d: Record<string, unknown>) => ({ ...d, delivered_at: new Date(Date.now() - 3600_000).toISOString() });
const deliveries = [
  ...documented.map(recent),
  recent({ ...documented[0], id: 900, guid: 'lost-guid', status_code: 502, status: 'Bad Gateway' }),
  recent({ ...documented[0], id: 901, guid: 'kept-guid', status_code: 504, status: 'timed out' }),
];

let server: http.Server;
let apiUrl = '';
const redeliveries: string[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/repos/acme/app/hooks/42/deliveries')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(deliveries));
    } else if (req.method === 'POST' && req.url?.startsWith('/repos/acme/app/hooks/42/deliveries/')) {
      redeliveries.push(req.url);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('redeliverFailedGithubDeliveries', () => {
  test('asks GitHub to redeliver only what failed and never reached the raw log', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Healing' } });
    await db().rawEvent.create({ data: { orgId: org.id, source: 'github', deliveryId: 'kept-guid', eventType: 'issues', headers: {}, payload: {} } });
    const result = await redeliverFailedGithubDeliveries({ orgId: org.id, owner: 'acme', repo: 'app', hookId: 42, token: 't', apiUrl });
    expect(result).toEqual({ listed: 4, missing: 1, redelivered: 1 });
    expect(redeliveries).toEqual(['/repos/acme/app/hooks/42/deliveries/900/attempts']);
  });
});
