import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { seedOrg } from '../../test/factories.ts';
import { storeRawEvent } from './raw-events.ts';
import { ensureRawEventPartitions, listRawEventPartitions, monthStart, pruneRawEvents } from './raw-retention.ts';
import { replayOrg } from './replay.ts';
import { processPendingEvents } from './worker.ts';

// The raw log's month partitions and payload retention. The events here arrive in 2001-2002, so
// pruning touches no month another test writes to (on the embedded database files share one).

type Example = { name: string; examples: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
const opened = (examples as unknown as Example[]).find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened')!;

const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Which table a stored delivery's row is in. */
async function partitionOf(orgId: string, deliveryId: string): Promise<string | undefined> {
  const rows = await db().$queryRaw<{ part: string }[]>`SELECT tableoid::regclass::text AS part FROM "RawEvent" WHERE "orgId" = ${orgId} AND "deliveryId" = ${deliveryId}`;
  return rows[0]?.part.replaceAll('"', '');
}

async function store(orgId: string, deliveryId: string, receivedAt: Date, payload: object = { n: deliveryId }) {
  return storeRawEvent({ orgId, source: 'github', deliveryId, eventType: 'ping', headers: {}, payload }, { receivedAt });
}

describe('raw log partitions', () => {
  test('monthStart counts whole UTC months either way', () => {
    expect(monthStart(new Date('2026-11-27T23:59:00Z'))).toEqual(utc('2026-11-01'));
    expect(monthStart(new Date('2026-01-15T00:00:00Z'), -1)).toEqual(utc('2025-12-01'));
    expect(monthStart(new Date('2026-11-30T12:00:00Z'), 2)).toEqual(utc('2027-01-01'));
  });

  test('a delivery lands in its month; one for a month with no partition yet waits in the default partition and moves in when the month is created', async () => {
    const org = await seedOrg();
    await ensureRawEventPartitions({ now: utc('2001-03-10'), ahead: 0 });
    expect(await store(org.id, 'in-march', new Date('2001-03-31T23:59:59.999Z'))).toEqual({ stored: true });
    expect(await partitionOf(org.id, 'in-march')).toBe('RawEvent_p2001_03');

    await store(org.id, 'in-april', utc('2001-04-01'));
    expect(await partitionOf(org.id, 'in-april')).toBe('RawEvent_default');
    await ensureRawEventPartitions({ now: utc('2001-04-20'), ahead: 1 });
    expect(await partitionOf(org.id, 'in-april')).toBe('RawEvent_p2001_04');
    const months = (await listRawEventPartitions()).filter((p) => p.from.getUTCFullYear() === 2001).map((p) => [p.name, p.from.toISOString(), p.to.toISOString()]);
    expect(months).toEqual([
      ['RawEvent_p2001_03', '2001-03-01T00:00:00.000Z', '2001-04-01T00:00:00.000Z'],
      ['RawEvent_p2001_04', '2001-04-01T00:00:00.000Z', '2001-05-01T00:00:00.000Z'],
      ['RawEvent_p2001_05', '2001-05-01T00:00:00.000Z', '2001-06-01T00:00:00.000Z'],
    ]);
    // Ensuring again creates nothing and moves nothing.
    await ensureRawEventPartitions({ now: utc('2001-04-20'), ahead: 1 });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(2);
  });

  test('a redelivery stores nothing, in the same month or another', async () => {
    const org = await seedOrg();
    expect(await store(org.id, 'twice', new Date())).toEqual({ stored: true });
    expect(await store(org.id, 'twice', new Date())).toEqual({ stored: false });
    expect(await store(org.id, 'twice', utc('2001-06-02'))).toEqual({ stored: false });
    // The same id from another source or org is another delivery.
    expect((await storeRawEvent({ orgId: org.id, source: 'gitlab', deliveryId: 'twice', eventType: 'ping', headers: {}, payload: {} })).stored).toBe(true);
    expect((await store((await seedOrg()).id, 'twice', new Date())).stored).toBe(true);
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(2);
    expect(await db().rawEventDelivery.count({ where: { orgId: org.id } })).toBe(2);
  });
});

describe('payload retention', () => {
  test('drops whole months past the retention, keeps derived rows and delivery ids, keeps a month with an event not processed, and makes a full replay refuse', async () => {
    const org = await seedOrg();
    const bystander = await seedOrg();
    for (const month of ['2002-01', '2002-02', '2002-03', '2002-04', '2002-05']) await ensureRawEventPartitions({ now: utc(`${month}-01`), ahead: 0 });
    // January: a pull request (its row is derived) and a ping; February: a ping left pending.
    await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: 'jan-pr', eventType: 'pull_request', headers: {}, payload: opened }, { receivedAt: utc('2002-01-15') });
    await store(org.id, 'jan-ping', utc('2002-01-20'));
    await processPendingEvents();
    await store(org.id, 'feb-pending', utc('2002-02-10'));
    await store(org.id, 'apr-ping', utc('2002-04-10'));
    expect(await db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } })).toBe(2);
    expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(1);

    // Two months before May: everything received before March goes, if processed.
    const result = await pruneRawEvents({ months: 2, now: utc('2002-05-20') });
    expect(result.horizon).toEqual(utc('2002-03-01'));
    expect(result.dropped).toContain('RawEvent_p2002_01');
    expect(result.dropped).not.toContain('RawEvent_p2002_02');
    expect(result.kept).toContainEqual({ name: 'RawEvent_p2002_02', reason: '1 event not processed yet' });
    const left = (await db().rawEvent.findMany({ where: { orgId: org.id }, select: { deliveryId: true }, orderBy: { receivedAt: 'asc' } })).map((e) => e.deliveryId);
    expect(left).toEqual(['feb-pending', 'apr-ping']);
    const names = (await listRawEventPartitions()).map((p) => p.name);
    expect(names).not.toContain('RawEvent_p2002_01');
    expect(names).toEqual(expect.arrayContaining(['RawEvent_p2002_02', 'RawEvent_p2002_03', 'RawEvent_p2002_04']));

    // Derived rows stay; the dropped deliveries are still known, so one sent again is a duplicate.
    expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(1);
    expect(await store(org.id, 'jan-ping', new Date())).toEqual({ stored: false });

    const after = await db().organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(after.rawPrunedBefore).toEqual(utc('2002-02-01'));
    expect((await db().organization.findUniqueOrThrow({ where: { id: bystander.id } })).rawPrunedBefore).toBeNull();

    await expect(replayOrg({ orgId: org.id })).rejects.toThrow(/dropped by retention.*--since 2002-02-01T00:00:00.000Z/);
    expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(1);
    // Replaying what is left over the existing rows deletes nothing.
    await replayOrg({ orgId: org.id, since: utc('2002-02-01') });
    expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(1);
  });

  test('refuses a retention that is not a whole number of months', async () => {
    await expect(pruneRawEvents({ months: 0 })).rejects.toThrow(/whole number of months/);
    await expect(pruneRawEvents({ months: 1.5 })).rejects.toThrow(/whole number of months/);
  });
});
