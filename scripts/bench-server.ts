// The production server for a load benchmark: `throughline serve` on a built app (`npm run build`
// first), on the benchmark's database, with the worker unless BENCH_WORKER=0. Stopped after `run`.
import { spawn } from 'node:child_process';

export async function withBenchServer<T>(port: number, run: () => Promise<T>): Promise<T> {
  const server = spawn(process.execPath, ['bin/throughline.js', 'serve', '--no-build', '--port', String(port)], {
    // Load generators send with one token far past a client's per-token limit: lift it here.
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_POOL_MAX: '10', THROUGHLINE_WORKER: process.env.BENCH_WORKER ?? '1', THROUGHLINE_TOKEN_RATE_PER_MINUTE: '100000000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok) break;
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    return await run();
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
  }
}
