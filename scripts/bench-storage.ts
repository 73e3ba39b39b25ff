// Benchmark: what Throughline's storage costs per event. N pull requests each get the life GitHub
// sends (opened, a push of two commits, synchronize, a review, a comment, merged; built from
// GitHub's own webhook examples: scripts/bench-processing-life.ts), stored in the raw log as the
// receiver stores them and processed by the worker. Then, after VACUUM ANALYZE, the on-disk size of
// every table holding the org's rows (heap, TOAST and indexes: pg_total_relation_size, summed over the
// raw log's month partitions), divided by
// the rows: the raw log per delivery, and the normalized rows (pull requests, commits, their
// links, reviews, comments, people, identities, repositories) per row and per delivery.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:storage [-- prs=2000]
import { withBenchDatabase } from './bench-database.ts';
import { lifeOf } from './bench-processing-life.ts';

const prs = Number(process.argv[2] ?? 2000);
const NORMALIZED = ['PullRequest', 'Commit', 'PullRequestCommit', 'Review', 'ReviewComment', 'Person', 'Identity', 'Repository'];

await withBenchDatabase('storage', async () => {
  const { db } = await import('../lib/db/client.ts');
  const { storeRawEvent } = await import('../lib/ingest/raw-events.ts');
  const { processPendingEvents } = await import('../lib/ingest/worker.ts');
  const org = await db().organization.create({ data: { slug: 'bench', name: 'Bench' } });
  let deliveries = 0;
  for (let n = 1; n <= prs; n++) {
    for (const { eventType, payload } of lifeOf(n)) {
      await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: `d-${++deliveries}`, eventType, headers: {}, payload: payload as never });
    }
  }
  await processPendingEvents();
  const failed = await db().rawEvent.count({ where: { orgId: org.id, status: 'failed' } });
  // As the tables stand after processing (a pull request's row is rewritten by each event of its
  // life, so its table holds dead versions until vacuum reuses them), then compacted (VACUUM FULL):
  // the steady cost and the floor.
  for (const [label, vacuum] of [['after VACUUM', 'VACUUM ANALYZE'], ['after VACUUM FULL', 'VACUUM FULL ANALYZE']] as const) {
    const sizes: Record<string, { rows: number; bytes: number }> = {};
    for (const table of ['RawEvent', 'RawEventDelivery', ...NORMALIZED]) {
      await db().$executeRawUnsafe(`${vacuum} "${table}"`);
      // The raw log is partitioned by month: its size is its partitions'.
      const [row] = await db().$queryRawUnsafe<{ rows: bigint; bytes: bigint }[]>(
        `SELECT (SELECT count(*) FROM "${table}") AS rows,
                pg_total_relation_size('"${table}"') + (SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits WHERE inhparent = '"${table}"'::regclass) AS bytes`,
      );
      sizes[table] = { rows: Number(row!.rows), bytes: Number(row!.bytes) };
    }
    // A delivery's id is kept beside the log (what finds a redelivery): part of its cost.
    const raw = { rows: sizes.RawEvent!.rows, bytes: sizes.RawEvent!.bytes + sizes.RawEventDelivery!.bytes };
    const normalized = NORMALIZED.reduce((a, t) => ({ rows: a.rows + sizes[t]!.rows, bytes: a.bytes + sizes[t]!.bytes }), { rows: 0, bytes: 0 });
    console.log(`\n${label}:`);
    console.table(Object.fromEntries(Object.entries(sizes).map(([t, s]) => [t, { rows: s.rows, 'bytes incl. indexes': s.bytes, 'bytes per row': s.rows ? Math.round(s.bytes / s.rows) : 0 }])));
    console.log(`raw log ${label}: ${Math.round(raw.bytes / deliveries)} bytes per delivery (${deliveries} deliveries, payload and headers as received, TOAST, indexes and delivery ids included; ${failed} failed)`);
    console.log(`normalized ${label}: ${Math.round(normalized.bytes / normalized.rows)} bytes per derived row including indexes (${normalized.rows} rows), ${Math.round(normalized.bytes / deliveries)} bytes per delivery`);
  }
});
process.exit(0);
