// Next.js start-up hook: a single-node server processes the raw event log itself, unless
// THROUGHLINE_WORKER=0 says separate `throughline worker` processes do.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('./lib/env.ts');
  if (env().THROUGHLINE_WORKER === '0' || !env().DATABASE_URL) return;
  const { startWorker } = await import('./lib/ingest/worker.ts');
  startWorker();
}
