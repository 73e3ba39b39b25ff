import { expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { withConflictRetry } from '../ingest/worker.ts';
import { seedOrg } from '../../test/factories.ts';
import { upsertTicket, type TicketFacts } from './upsert-ticket.ts';

// Workers handle a ticket's payloads side by side: the one the source changed last must win,
// whichever transaction commits last.

const facts = (n: number): TicketFacts => ({
  source: 'jira', externalId: '10001', key: 'abc-1', title: `Title ${n}`, type: 'Story', statusName: `Status ${n}`,
  statusCategory: n % 2 ? 'in_progress' : 'todo', url: null, createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date(Date.UTC(2026, 0, 2, 0, 0, n)), startedAt: null,
});

test('payloads of one ticket handled at once: the latest by the source\'s update time wins', async () => {
  for (let round = 0; round < 3; round++) {
    const org = await seedOrg();
    // Stored already: every handler reads it, then updates it.
    await db().$transaction((tx) => upsertTicket(tx, org.id, facts(0)));
    // The newest payload first, so the older ones run while it is in flight.
    const order = [12, ...Array.from({ length: 11 }, (_, i) => i + 1)];
    await Promise.all(
      order.map((n) =>
        withConflictRetry(() =>
          db().$transaction(async (tx) => {
            await upsertTicket(tx, org.id, facts(n));
            // Holds the transaction open a moment, as a handler's other writes do.
            await tx.$executeRaw`SELECT pg_sleep(0.02)`;
          }),
        ),
      ),
    );
    const ticket = await db().ticket.findUniqueOrThrow({ where: { orgId_source_externalId: { orgId: org.id, source: 'jira', externalId: '10001' } } });
    expect({ title: ticket.title, status: ticket.statusName, updated: ticket.sourceUpdatedAt?.toISOString() }).toEqual({ title: 'Title 12', status: 'Status 12', updated: '2026-01-02T00:00:12.000Z' });
  }
});
