import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { afterAll, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { storeRawEvent } from './raw-events.ts';
import { startWorker, stopWorker, wakeWorker, withConflictRetry } from './worker.ts';

// The worker loop as `throughline worker` runs it: woken by PostgreSQL NOTIFY from whichever
// process stored the event, several events at once.

type Example = { name: string; examples: Record<string, unknown>[] };
const opened = (examples as unknown as Example[]).find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened')! as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(stopWorker);

const statuses = async (orgId: string) =>
  Object.fromEntries((await db().rawEvent.groupBy({ by: ['status'], where: { orgId }, _count: true })).map((g) => [g.status, g._count]));

test('a stored event reaches a listening worker through NOTIFY, with no in-process wake-up', async () => {
  startWorker({ listen: true, pollMs: 3_600_000 });
  await new Promise((r) => setTimeout(r, 500)); // the LISTEN connection is up
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Listened' } });
  await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: 'n-1', eventType: 'pull_request', headers: {}, payload: opened });
  expect(await until(() => statuses(org.id), (s) => s.processed === 1)).toEqual({ processed: 1 });
  expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(1);
});

test('drains running side by side, all creating the same new person and repository, make each once and fail nothing', async () => {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Raced' } });
  // Twenty pull requests by one new author in one new repository: every event creates both.
  for (let n = 1; n <= 20; n++) {
    const payload = structuredClone(opened);
    payload.number = n;
    payload.pull_request = { ...payload.pull_request, number: n, id: 1000 + n };
    await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: `r-${n}`, eventType: 'pull_request', headers: {}, payload });
  }
  wakeWorker();
  expect(await until(() => statuses(org.id), (s) => s.processed === 20)).toEqual({ processed: 20 });
  expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(20);
  expect(await db().repository.count({ where: { orgId: org.id } })).toBe(1);
  const author = opened.pull_request.user.login as string;
  expect(await db().identity.count({ where: { orgId: org.id, provider: 'github', login: author } })).toBe(1);
  expect(await db().person.count({ where: { orgId: org.id } })).toBe(1);
});

test('a transaction that lost a race runs again; any other error is the event\'s own', async () => {
  let calls = 0;
  const uniqueViolation = Object.assign(new Error('Unique constraint failed'), { code: 'P2002' });
  expect(await withConflictRetry(async () => (++calls < 3 ? Promise.reject(uniqueViolation) : 'done'))).toBe('done');
  expect(calls).toBe(3);
  calls = 0;
  await expect(withConflictRetry(async () => (++calls, Promise.reject(new Error('payload not understood'))))).rejects.toThrow('payload not understood');
  expect(calls).toBe(1);
});

test('a deadlock in a raw query (PostgreSQL 40P01, reported by Prisma as P2010) runs again too', async () => {
  let calls = 0;
  const deadlockOnce = () =>
    db().$transaction(async (tx) => {
      if (++calls === 1) await tx.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END $$`);
      return (await tx.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`)[0]!.ok;
    });
  expect(await withConflictRetry(deadlockOnce)).toBe(1);
  expect(calls).toBe(2);
});
