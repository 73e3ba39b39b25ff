// Benchmarks run against a database of their own on the PostgreSQL named by DATABASE_URL: created
// and migrated here, pointed to by DATABASE_URL while `run` works, dropped afterwards.
import pg from 'pg';

export async function withBenchDatabase<T>(name: string, run: (url: string) => Promise<T>): Promise<T> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('set DATABASE_URL to a PostgreSQL server (a database is created and dropped)');
  const database = `tl_bench_${name}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.toString();
  try {
    const { applyMigrations } = await import('../lib/db/migrate.ts');
    await applyMigrations(url.toString());
    return await run(url.toString());
  } finally {
    const { disconnectDb } = await import('../lib/db/client.ts');
    await disconnectDb();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}
