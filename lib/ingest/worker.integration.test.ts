import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { afterAll, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { env } from '../env.ts';
import { randomSlug } from '../../test/factories.ts';
import { storeRawEvent } from './raw-events.ts';
import { processPendingEvents, runningDrains, startWorker, stopWorker, wakeWorker, withConflictRetry } from './worker.ts';

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

// The embedded database serves one session: there the worker runs in the server and never LISTENs.
test.skipIf(env().DATABASE_POOL_MAX === 1)('a stored event reaches a listening worker through NOTIFY, with no in-process wake-up', async () => {
  // catchUpAfterMs 0: always "behind", so every drain runs (the race test below needs them all).
  startWorker({ listen: true, pollMs: 3_600_000, catchUpAfterMs: 0 });
  await new Promise((r) => setTimeout(r, 500)); // the LISTEN connection is up
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Listened' } });
  await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: 'n-1', eventType: 'pull_request', headers: {}, payload: opened });
  expect(await until(() => statuses(org.id), (s) => s.processed === 1)).toEqual({ processed: 1 });
  expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(1);
});

test('drains running side by side, all creating the same new person and repository, make each once and fail nothing', async () => {
  startWorker({ pollMs: 3_600_000, catchUpAfterMs: 0 }); // already running after the NOTIFY test, where that one runs
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

test('a claim batch commits together, yet an event that fails is the only one rolled back and marked failed', async () => {
  stopWorker(); // this test's events are claimed by the call below, as one batch
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Batched' } });
  const pr = (n: number) => ({ ...structuredClone(opened), number: n, pull_request: { ...opened.pull_request, number: n, id: 5000 + n } });
  const broken = { ...pr(3), pull_request: { ...opened.pull_request, number: 'three' } };
  await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: 'b-1', eventType: 'pull_request', headers: {}, payload: pr(1) });
  await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: 'b-2', eventType: 'pull_request', headers: {}, payload: pr(2) });
  await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: 'b-3', eventType: 'pull_request', headers: {}, payload: broken });
  await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: 'b-4', eventType: 'star', headers: {}, payload: { action: 'created' } });
  await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: 'b-5', eventType: 'pull_request', headers: {}, payload: pr(5) });
  expect(await processPendingEvents()).toBe(5);

  const events = await db().rawEvent.findMany({ where: { orgId: org.id }, orderBy: { deliveryId: 'asc' } });
  expect(events.map((e) => [e.deliveryId, e.status])).toEqual([
    ['b-1', 'processed'],
    ['b-2', 'processed'],
    ['b-3', 'failed'],
    ['b-4', 'ignored'],
    ['b-5', 'processed'],
  ]);
  expect(events[2]!.error).toMatch(/^payload not understood: .*pull_request\.number/);
  expect(events.filter((e) => e.status !== 'failed').every((e) => e.processedAt && !e.error)).toBe(true);
  const numbers = (await db().pullRequest.findMany({ where: { orgId: org.id }, select: { number: true }, orderBy: { number: 'asc' } })).map((p) => p.number);
  expect(numbers).toEqual([1, 2, 5]);
  // One transaction: its events were marked with its start time (now()), so the batch cost one commit.
  // (The single-session embedded database keeps a transaction per event.)
  const commits = new Set(events.filter((e) => e.status !== 'failed').map((e) => e.processedAt!.getTime())).size;
  expect(commits).toBe(env().DATABASE_POOL_MAX === 1 ? 4 : 1);
});

test.skipIf(env().DATABASE_POOL_MAX < 4)('one drain while the worker keeps up; all of them while its events have waited; one again after the backlog', async () => {
  stopWorker();
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Paced' } });
  const store = (n: number, receivedAt?: Date) =>
    storeRawEvent({ orgId: org.id, source: 'github', deliveryId: `p-${n}`, eventType: 'pull_request', headers: {}, payload: { ...structuredClone(opened), number: n, pull_request: { ...opened.pull_request, number: n, id: 9000 + n } } }, { receivedAt });
  // Drains seen at once while the worker processes what is due, sampled every few milliseconds.
  const peakDrains = async (count: number) => {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, runningDrains())), 2);
    startWorker({ pollMs: 3_600_000 });
    wakeWorker();
    await until(() => statuses(org.id), (s) => s.processed === count, 30_000);
    clearInterval(sampler);
    stopWorker();
    return peak;
  };

  for (let n = 1; n <= 40; n++) await store(n);
  expect(await peakDrains(40)).toBe(1);

  // Delivered a minute ago and not processed yet: a backlog.
  for (let n = 41; n <= 120; n++) await store(n, new Date(Date.now() - 60_000));
  expect(await peakDrains(120)).toBeGreaterThan(1);
  expect(runningDrains()).toBe(0);

  for (let n = 121; n <= 160; n++) await store(n);
  expect(await peakDrains(160)).toBe(1);
});
