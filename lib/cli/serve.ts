import { db } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { env } from '../env.ts';
import { seedDemoOrg } from '../demo/seed-demo.ts';
import { buildIsStale, buildNext, runNext } from './next-build.ts';
import { openDatabase } from './with-database.ts';

async function waitForHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

/**
 * `throughline serve`: the product on one command. Opens the database (embedded when no
 * DATABASE_URL), applies migrations, seeds the demo org into an empty database, builds the app
 * when sources changed since the last build, then runs `next start` on that database.
 */
export async function serve(options: { port: number; host: string; build: boolean }): Promise<void> {
  const started = Date.now();
  const database = await openDatabase();
  const stopAll = async (code: number) => {
    await database.close().catch(() => {});
    process.exit(code);
  };
  try {
    if (!env().THROUGHLINE_SECRET_KEY) throw new Error('THROUGHLINE_SECRET_KEY is required with DATABASE_URL (make one: openssl rand -base64 32)');
    console.log(`database: ${database.embedded ? `embedded (${env().THROUGHLINE_DATA_DIR})` : 'DATABASE_URL'}`);
    const applied = await applyMigrations(database.url);
    if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
    if ((await db().organization.count()) === 0) {
      const t = Date.now();
      const demo = await seedDemoOrg(db(), { seed: env().DEMO_SEED, until: new Date() });
      console.log(`demo org seeded in ${((Date.now() - t) / 1000).toFixed(1)}s (${demo.counts.pullRequests ?? 0} pull requests)`);
    }
    // Next's server opens its own pool; ours is closed so the embedded database serves only it.
    await db().$disconnect();
    if (options.build && buildIsStale()) await buildNext();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stopAll(1);
  }

  const base = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${options.port}`;
  const child = runNext(['start', '--port', String(options.port), '--hostname', options.host], {
    DATABASE_URL: database.url,
    // next-auth builds its redirect URLs from this.
    NEXTAUTH_URL: env().PUBLIC_URL ?? base,
    // The embedded database is a local trial: it offers the one-click demo sign-in unless told not to.
    ...(database.embedded ? { DATABASE_POOL_MAX: '1', THROUGHLINE_DEMO: process.env.THROUGHLINE_DEMO || '1' } : {}),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => void stopAll(code ?? 0));

  await waitForHealthy(`${base}/api/health`, 60_000);
  console.log(`\nThroughline is running at ${base}  (ready in ${((Date.now() - started) / 1000).toFixed(1)}s)`);
  console.log(`Demo dashboard: ${base}/demo\n`);
}
