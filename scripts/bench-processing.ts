// Benchmark: how fast the worker turns stored GitHub deliveries into derived rows, and how many
// database round trips each event costs. Each of N pull requests gets the life GitHub sends:
// opened, a push of two commits to its branch, synchronize, a review, a comment, closed (merged),
// built from GitHub's own webhook examples. The events are stored first, then processed by the
// worker's drains (THROUGHLINE_WORKER_CONCURRENCY, default 4) in this process.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:processing [-- prs=300]
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { withBenchDatabase } from './bench-database.ts';
import { lifeOf } from './bench-processing-life.ts';

const prs = Number(process.argv[2] ?? 300);
await withBenchDatabase('processing', async (url) => {
  // The process's client, with every query counted.
  const { PrismaClient } = await import('../lib/db/generated/client.ts');
  let queries = 0;
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }), log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', () => queries++);
  // And every statement the handlers send through node-postgres (lib/db/sql.ts).
  const pgQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries++;
    return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgQuery;
  (globalThis as { throughlineDb?: unknown }).throughlineDb = client;

  const { db } = await import('../lib/db/client.ts');
  const { storeRawEvent } = await import('../lib/ingest/raw-events.ts');
  const { startWorker, stopWorker } = await import('../lib/ingest/worker.ts');
  const org = await db().organization.create({ data: { slug: 'bench', name: 'Bench' } });
  let delivery = 0;
  for (let n = 1; n <= prs; n++) {
    for (const { eventType, payload } of lifeOf(n)) {
      await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: `d-${++delivery}`, eventType, headers: {}, payload: payload as never });
    }
  }
  const events = delivery;
  queries = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  startWorker({ pollMs: 50 });
  for (;;) {
    const left = await db().rawEvent.count({ where: { orgId: org.id, status: { in: ['pending'] } } });
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  stopWorker();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const failed = await db().rawEvent.findMany({ where: { orgId: org.id, status: 'failed' }, select: { eventType: true, error: true }, take: 3 });
  const counts = { prs: await db().pullRequest.count(), commits: await db().commit.count(), reviews: await db().review.count() };
  console.log(`${events} events (${prs} pull requests × 6) processed in ${seconds.toFixed(1)} s: ${(events / seconds).toFixed(0)} events/s`);
  console.log(`round trips per event ${(queries / events).toFixed(1)} (statements through Prisma and node-postgres, including BEGIN/COMMIT on node-postgres, the worker's claims and the progress polls)`);
  console.log(`this process's CPU per event ${((cpu.user + cpu.system) / 1000 / events).toFixed(2)} ms`);
  console.log(`derived: ${counts.prs} pull requests, ${counts.commits} commits, ${counts.reviews} reviews; failed events: ${failed.length}${failed.length ? ` e.g. ${JSON.stringify(failed[0])}` : ''}`);
  await client.$disconnect();
});
process.exit(0);
