import { expect, test, vi } from 'vitest';
import { db } from '../db/client.ts';
import { seedOrg } from '../../test/factories.ts';
import { storeRawEvent } from './raw-events.ts';
import { processPendingEvents } from './worker.ts';

// The database going away in the middle of a batch: the events claimed and not handled are not
// the events' fault. They are neither marked failed nor left to wait out their lease: once the
// database answers, they are due again with the attempt not counted.

const outage = vi.hoisted(() => ({ on: false, handled: [] as string[] }));
vi.mock('./handlers.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./handlers.ts')>()),
  handlerFor: () => ({
    kind: 'sql',
    run: async ({ eventId }: { eventId: string }) => {
      if (outage.on) throw new Error('Connection terminated unexpectedly');
      outage.handled.push(eventId);
    },
  }),
}));

test('events claimed when the connection broke are released, not failed, and handled once the database is back', async () => {
  const org = await seedOrg();
  for (const n of [1, 2, 3]) await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: `o-${n}`, eventType: 'push', headers: {}, payload: { n } });
  outage.on = true;
  await expect(processPendingEvents()).rejects.toThrow('Connection terminated');
  const leased = await db().rawEvent.findMany({ where: { orgId: org.id } });
  expect(leased.map((e) => e.status)).toEqual(['pending', 'pending', 'pending']);
  expect(leased.filter((e) => e.nextAttemptAt > new Date())).toHaveLength(3); // claimed: leased for minutes

  outage.on = false;
  expect(await processPendingEvents()).toBe(3);
  const done = await db().rawEvent.findMany({ where: { orgId: org.id }, orderBy: { deliveryId: 'asc' } });
  expect(done.map((e) => [e.deliveryId, e.status, e.attempts])).toEqual([
    ['o-1', 'processed', 1],
    ['o-2', 'processed', 1],
    ['o-3', 'processed', 1],
  ]);
  expect(outage.handled).toHaveLength(3);
});
