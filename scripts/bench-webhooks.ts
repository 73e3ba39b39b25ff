// Benchmark: signed GitHub `pull_request` deliveries at 200 requests/s for 30 s against the
// production server on loopback; prints ack latency, what was stored and processed, and losses.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:webhooks [-- seconds=30 rate=200]
// Needs a production build (`npm run build`). A database is created for the run and dropped after.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import { sendPaced } from './paced-load.ts';
import { withBenchDatabase } from './bench-database.ts';

const seconds = Number(process.argv[2] ?? 30);
const rate = Number(process.argv[3] ?? 200);
const port = 3790;
process.env.THROUGHLINE_SECRET_KEY = randomBytes(32).toString('base64');

await withBenchDatabase('webhooks', async () => {
  const { db } = await import('../lib/db/client.ts');
  const { rotateWebhookSecret } = await import('../lib/auth/webhook-secrets.ts');
  const org = await db().organization.create({ data: { slug: 'bench', name: 'Bench' } });
  const secret = await rotateWebhookSecret({ orgId: org.id, source: 'github' });

  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Record<string, unknown>[] }[];
  // GitHub's own `opened` example, as 1,000 different pull requests (a real org's deliveries are
  // about many; one pull request over and over would measure its row lock instead).
  const opened = examples.find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened') as { number: number; pull_request: Record<string, unknown> };
  const deliveries = await Promise.all(
    Array.from({ length: 1000 }, async (_, i) => {
      const body = JSON.stringify({ ...opened, number: i + 1, pull_request: { ...opened.pull_request, number: i + 1, id: 1_000_000 + i } });
      return { body, signature: await sign(secret, body) };
    }),
  );

  const server = spawn(process.execPath, ['bin/throughline.js', 'serve', '--no-build', '--port', String(port)], {
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_POOL_MAX: '10', THROUGHLINE_WORKER: process.env.BENCH_WORKER ?? '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok) break;
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    // Warm up (first requests load the route's modules), then the measured, paced load.
    const delivery = (prefix: string) => (i: number) => {
      const { body, signature } = deliveries[i % deliveries.length]!;
      const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': `${prefix}-${i}`, 'x-hub-signature-256': signature };
      return { path: '/api/orgs/bench/webhooks/github', headers, body };
    };
    await sendPaced({ port, rate: 100, count: 500, request: delivery('warm') });
    const result = await sendPaced({ port, rate, count: Math.round(rate * seconds), request: delivery('bench') });
    const acked = result.acked;
    const started = Date.now();
    let stored = 0;
    let processed = 0;
    for (;;) {
      stored = await db().rawEvent.count({ where: { orgId: org.id } });
      processed = await db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } });
      if (processed >= stored || Date.now() - started > 120_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`sent ${result.sent}, acknowledged (2xx) ${acked}, other statuses ${result.other}, errors ${result.errors}`);
    console.log(`ack latency p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; ${result.rate.toFixed(0)} req/s`);
    console.log(`stored ${stored}, processed ${processed} (all processed ${((Date.now() - started) / 1000).toFixed(1)} s after the load ended), lost ${Math.max(0, acked - stored)}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
  }
});
process.exit(0);
