import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import path from 'node:path';
import { db } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { env } from '../env.ts';
import { seedDemoOrg } from '../demo/seed-demo.ts';
import { rebuildOrgRollups } from '../metrics/rollups.ts';
import { buildIsStale, buildNext, ROOT } from './next-build.ts';
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

function spawnCli(args: string[], childEnv: NodeJS.ProcessEnv) {
  return spawn(process.execPath, [path.join(ROOT, 'bin/throughline.js'), ...args], { cwd: ROOT, stdio: 'inherit', env: childEnv });
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
      // Its rollups now, before the first page: seconds here, where the worker would build them
      // while the first pages compute every figure live (on the embedded database, for minutes).
      const r = Date.now();
      const built = await rebuildOrgRollups({ id: demo.orgId });
      console.log(`demo rollups built in ${((Date.now() - r) / 1000).toFixed(1)}s (${built?.weeks ?? 0} weeks)`);
    }
    // Next's server opens its own pool; ours is closed so the embedded database serves only it.
    await db().$disconnect();
    // THROUGHLINE_NEXT=0: an ingest-only server (webhooks, OTLP, health), which needs no build.
    if (options.build && env().THROUGHLINE_NEXT === '1' && buildIsStale()) await buildNext();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stopAll(1);
  }

  const base = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${options.port}`;
  // The web server runs as a child process, so this one keeps serving the embedded database. On
  // PostgreSQL the raw-event worker is a second child: handlers then never hold up the web
  // server's event loop (webhook acknowledgements above all). The embedded database serves one
  // session, so there the web server runs the worker itself.
  const childEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_ENV: 'production' as const,
    DATABASE_URL: database.url,
    // next-auth builds its redirect URLs from this.
    NEXTAUTH_URL: env().PUBLIC_URL ?? base,
    // The embedded database is a local trial: it offers the one-click demo sign-in unless told not to.
    ...(database.embedded ? { DATABASE_POOL_MAX: '1', THROUGHLINE_DEMO: process.env.THROUGHLINE_DEMO || '1' } : {}),
  };
  const separateWorker = !database.embedded && env().THROUGHLINE_WORKER === '1';
  const children = [
    spawnCli(['http-server', '--port', String(options.port), '--host', options.host], { ...childEnv, ...(separateWorker ? { THROUGHLINE_WORKER: '0' } : {}) }),
    // Its database sessions yield too, where PostgreSQL runs on this machine (lib/db/client.ts).
    ...(separateWorker ? [spawnCli(['worker'], { ...childEnv, THROUGHLINE_DB_SESSION_NICE: process.env.THROUGHLINE_DB_SESSION_NICE || '10' })] : []),
  ];
  // Acknowledging a delivery is what must never wait; processing catches up. So under load the
  // worker yields the CPU to the web server.
  if (separateWorker) setPriority(children[1]!.pid!, 10);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => children.forEach((c) => c.kill(signal)));
  // Either child ending ends the product: a server without its worker would acknowledge events nobody processes.
  for (const child of children) {
    child.on('exit', (code) => {
      children.forEach((c) => c.kill('SIGTERM'));
      void stopAll(code ?? 0);
    });
  }

  await waitForHealthy(`${base}/api/health`, 60_000);
  console.log(`\nThroughline is running at ${base}  (ready in ${((Date.now() - started) / 1000).toFixed(1)}s)`);
  console.log(`Demo dashboard: ${base}/demo\n`);
}
