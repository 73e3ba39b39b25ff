import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { afterAll, afterEach, beforeEach, expect, test } from 'vitest';
import { rotateWebhookSecret } from '../auth/webhook-secrets.ts';
import { db, disconnectDb } from '../db/client.ts';
import { resetEnvCache } from '../env.ts';
import { seedOrg } from '../../test/factories.ts';
import { appendToSpool, drainSpool, parseSegment, type SpoolRecord } from './spool.ts';
import { SpoolUnavailableError } from './spool-errors.ts';
import { clearVerificationMaterial } from './verification-material.ts';
import { webhookRoutes } from './webhook-receivers.ts';

// The spool on real files and a real PostgreSQL: what a receiver writes while the database is
// unreachable, and how the drainer moves it into the raw log.

type Example = { name: string; examples: Record<string, unknown>[] };
const opened = (examples as unknown as Example[]).find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened')!;
const HOST = hostname().replace(/[^A-Za-z0-9.]/g, '_');
const DEAD_PID = 4_000_000; // above Linux's pid_max: never a live process

let dir: string;
const realUrl = () => process.env.DATABASE_URL!;
let savedUrl: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tl-spool-'));
  process.env.THROUGHLINE_SPOOL_DIR = dir;
  delete process.env.THROUGHLINE_SPOOL_MAX_BYTES;
  resetEnvCache();
  savedUrl = realUrl();
});

afterEach(async () => {
  if (process.env.DATABASE_URL !== savedUrl) await pointDatabaseAt(savedUrl);
  await rm(dir, { recursive: true, force: true });
});

afterAll(() => {
  delete process.env.THROUGHLINE_SPOOL_DIR;
  resetEnvCache();
});

async function pointDatabaseAt(url: string) {
  await disconnectDb();
  process.env.DATABASE_URL = url;
  resetEnvCache();
}

const record = (orgId: string, n: number, receivedAt: string): SpoolRecord => ({
  orgId,
  source: 'github',
  deliveryId: `d-${n}`,
  eventType: 'ping',
  headers: { 'x-github-event': 'ping' },
  payload: { zen: `line ${n}` },
  receivedAt,
});

const rows = (orgId: string) => db().rawEvent.findMany({ where: { orgId }, orderBy: { receivedAt: 'asc' }, select: { deliveryId: true, receivedAt: true, payload: true } });

test('appends are on disk (one JSON line each) before they resolve, and drain into the raw log in order with their arrival times', async () => {
  const org = await seedOrg();
  const times = ['2026-01-05T10:00:00.001Z', '2026-01-05T10:00:00.002Z', '2026-01-05T10:00:00.003Z'];
  await Promise.all(times.map((t, i) => appendToSpool(record(org.id, i + 1, t))));
  const [segment] = await readdir(dir);
  expect(segment).toMatch(new RegExp(`^\\d+-${HOST}-${process.pid}-[0-9a-f]+\\.open$`));
  const { records, skipped } = parseSegment(await readFile(path.join(dir, segment!), 'utf8'));
  expect(skipped).toBe(0);
  expect(records.map((r) => r.deliveryId)).toEqual(['d-1', 'd-2', 'd-3']);

  const result = await drainSpool();
  expect(result).toMatchObject({ segments: 1, stored: 3, duplicates: 0, skipped: 0, complete: true });
  const stored = await rows(org.id);
  expect(stored.map((r) => [r.deliveryId, r.receivedAt.toISOString()])).toEqual(times.map((t, i) => [`d-${i + 1}`, t]));
  expect(stored[0]!.payload).toEqual({ zen: 'line 1' });
  expect(await readdir(dir)).toEqual([]); // deleted once drained
});

test('a torn last line (a crash mid-append, never acknowledged) is skipped; the whole lines before it are stored', async () => {
  const org = await seedOrg();
  const lines = [record(org.id, 1, '2026-01-05T10:00:00.000Z'), record(org.id, 2, '2026-01-05T10:00:01.000Z')].map((r) => JSON.stringify(r) + '\n');
  const torn = JSON.stringify(record(org.id, 3, '2026-01-05T10:00:02.000Z')).slice(0, 40);
  // The segment of a process that was killed while writing it.
  await writeFile(path.join(dir, `000001764000000000-${HOST}-${DEAD_PID}-0badc0de.open`), lines.join('') + torn);
  const result = await drainSpool();
  expect(result).toMatchObject({ segments: 1, stored: 2, skipped: 1, complete: true });
  expect((await rows(org.id)).map((r) => r.deliveryId)).toEqual(['d-1', 'd-2']);
  expect(await readdir(dir)).toEqual([]);
});

test('draining again after a drainer died mid-segment stores nothing twice', async () => {
  const org = await seedOrg();
  const all = [1, 2, 3, 4].map((n) => record(org.id, n, `2026-01-05T10:00:0${n}.000Z`));
  const text = all.map((r) => JSON.stringify(r) + '\n').join('');
  // A drainer stored the first two lines, then was killed: its claimed segment is left behind.
  await appendToSpool(all[0]!);
  await appendToSpool(all[1]!);
  await drainSpool();
  await writeFile(path.join(dir, `000001764000000000-${HOST}-${DEAD_PID}-0badc0de.draining-${HOST}-${DEAD_PID}`), text);
  const result = await drainSpool();
  expect(result).toMatchObject({ segments: 1, stored: 2, duplicates: 2, complete: true });
  // And the same lines once more (a segment drained twice): all duplicates.
  await writeFile(path.join(dir, `000001764000000001-${HOST}-${DEAD_PID}-0badc0de.sealed`), text);
  expect(await drainSpool()).toMatchObject({ stored: 0, duplicates: 4 });
  expect((await rows(org.id)).map((r) => r.deliveryId)).toEqual(['d-1', 'd-2', 'd-3', 'd-4']);
});

test('a segment of a live process that is still open is left to that process', async () => {
  const org = await seedOrg();
  const name = `000001764000000000-${HOST}-1-0badc0de.open`; // pid 1 is alive
  await writeFile(path.join(dir, name), JSON.stringify(record(org.id, 1, '2026-01-05T10:00:00.000Z')) + '\n');
  expect(await drainSpool()).toMatchObject({ segments: 0, stored: 0 });
  expect(await readdir(dir)).toEqual([name]);
});

test('past its size bound the spool refuses appends (the receiver answers 503)', async () => {
  process.env.THROUGHLINE_SPOOL_MAX_BYTES = '2048';
  resetEnvCache();
  const org = await seedOrg();
  let accepted = 0;
  let refused: unknown;
  for (let n = 0; n < 50 && !refused; n++) {
    await appendToSpool(record(org.id, n, '2026-01-05T10:00:00.000Z')).then(() => accepted++, (error: unknown) => (refused = error));
  }
  expect(refused).toBeInstanceOf(SpoolUnavailableError);
  const [segment] = await readdir(dir);
  const text = await readFile(path.join(dir, segment!), 'utf8');
  expect(text.length).toBeLessThanOrEqual(2048);
  expect(parseSegment(text)).toMatchObject({ skipped: 0 });
  expect(parseSegment(text).records).toHaveLength(accepted);
});

test('a receiver keeps acknowledging while the database is unreachable (last-known-good secret, spooled), 503 for an org it never saw', async () => {
  clearVerificationMaterial();
  const org = await seedOrg();
  const secret = await rotateWebhookSecret({ orgId: org.id, source: 'github' });
  const deliver = async (slug: string, deliveryId: string) => {
    const body = JSON.stringify(opened);
    const request = new Request(`http://localhost/api/orgs/${slug}/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': deliveryId, 'x-hub-signature-256': await sign(secret, body) },
      body,
    });
    return webhookRoutes.github(request, { params: Promise.resolve({ org: slug }) });
  };
  expect((await deliver(org.slug, 'live-1')).status).toBe(202); // verified and stored: the secret is now known-good

  await pointDatabaseAt('postgresql://postgres@127.0.0.1:1/none'); // connection refused
  await new Promise((r) => setTimeout(r, 5100)); // past the material's cache time: the lookup itself fails
  const spooled = await deliver(org.slug, 'down-1');
  expect(spooled.status).toBe(202);
  expect(await spooled.json()).toEqual({ deliveryId: 'down-1', stored: true, spooled: true });
  const unknown = await deliver('never-seen-here', 'down-2');
  expect(unknown.status).toBe(503);
  expect(unknown.headers.get('retry-after')).toBe('10');
  expect(await drainSpool()).toMatchObject({ complete: false, stored: 0 }); // still down: kept

  await pointDatabaseAt(savedUrl);
  expect(await drainSpool()).toMatchObject({ complete: true, stored: 1 });
  expect((await rows(org.id)).map((r) => r.deliveryId)).toEqual(['live-1', 'down-1']);
  expect(await readdir(dir)).toEqual([]);
  // A redelivery of the spooled one is a redelivery.
  expect((await deliver(org.slug, 'down-1')).status).toBe(200);
});
