// Benchmark: what one database read costs the Node process, by the way it is made: Prisma's ORM,
// Prisma's raw SQL, node-postgres, and a Prisma interactive transaction around one raw query. The
// worker is bound by this per-query CPU (docs/scaling.md, "Where one node stops").
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:query-overhead [-- n=3000]
import pg from 'pg';
import { withBenchDatabase } from './bench-database.ts';

const n = Number(process.argv[2] ?? 3000);
await withBenchDatabase('query_overhead', async (url) => {
  const { db } = await import('../lib/db/client.ts');
  const { id } = await db().organization.create({ data: { slug: 'bench', name: 'Bench' } });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const client = await pool.connect();
  async function measure(name: string, read: () => Promise<unknown>) {
    for (let i = 0; i < 200; i++) await read(); // warm-up
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < n; i++) await read();
    const used = process.cpuUsage(cpu);
    const wall = (performance.now() - started) / n;
    console.log(`${name}: ${((used.user + used.system) / 1000 / n).toFixed(3)} ms of CPU per query, ${wall.toFixed(3)} ms wall`);
  }
  console.log(`${n} reads of one row each, one at a time:`);
  await measure('Prisma findUnique', () => db().organization.findUnique({ where: { id } }));
  await measure('Prisma $queryRaw', () => db().$queryRaw`SELECT * FROM "Organization" WHERE id = ${id}::uuid`);
  await measure('node-postgres query', () => client.query('SELECT * FROM "Organization" WHERE id = $1', [id]));
  await measure('node-postgres prepared', () => client.query({ name: 'org', text: 'SELECT * FROM "Organization" WHERE id = $1', values: [id] }));
  await measure('Prisma $transaction + 1 raw', () => db().$transaction(async (tx) => tx.$queryRaw`SELECT * FROM "Organization" WHERE id = ${id}::uuid`));
  client.release();
  await pool.end();
});
process.exit(0);
