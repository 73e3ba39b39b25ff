// Benchmark: signed GitHub deliveries (each pull request's whole life) at 200 requests/s for 30 s against the
// production server on loopback; prints ack latency, what was stored and processed, and losses.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:webhooks [-- seconds=30 rate=200]
// Needs a production build (`npm run build`). A database is created for the run and dropped after.
import { randomBytes } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { lifeOf } from './bench-processing-life.ts';
import { sendPaced } from './paced-load.ts';
import { withBenchDatabase } from './bench-database.ts';
import { withBenchServer } from './bench-server.ts';

const seconds = Number(process.argv[2] ?? 30);
const rate = Number(process.argv[3] ?? 200);
const port = 3790;
process.env.THROUGHLINE_SECRET_KEY = randomBytes(32).toString('base64');

await withBenchDatabase('webhooks', async () => {
  const { db } = await import('../lib/db/client.ts');
  const { rotateWebhookSecret } = await import('../lib/auth/webhook-secrets.ts');
  const org = await db().organization.create({ data: { slug: 'bench', name: 'Bench' } });
  const secret = await rotateWebhookSecret({ orgId: org.id, source: 'github' });

  // Every delivery is a different event: the life GitHub sends for each pull request (opened, a
  // push of two commits, synchronize, a review, a comment, merged; scripts/bench-processing-life.ts),
  // for as many pull requests as the run needs. A pull request's events go out 50 deliveries
  // apart (a quarter of a second at 200/s), in order, as a busy org's interleave.
  // BENCH_EVENTS=pull_request keeps only the pull_request events of each life (opened, synchronize, closed).
  const life = (n: number) => lifeOf(n).filter((e) => !process.env.BENCH_EVENTS || e.eventType === process.env.BENCH_EVENTS);
  const perPr = life(1).length;
  const total = 500 + Math.round(rate * seconds);
  const BLOCK = 50;
  const deliveries = await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      const block = Math.floor(i / (BLOCK * perPr));
      const within = i % (BLOCK * perPr);
      const pr = block * BLOCK + (within % BLOCK) + 1;
      const { eventType, payload } = life(pr)[Math.floor(within / BLOCK)]!;
      const body = JSON.stringify(payload);
      return { eventType, body, signature: await sign(secret, body) };
    }),
  );

  await withBenchServer(port, async () => {
    // Warm up (first requests load the route's modules), then the measured, paced load.
    const delivery = (from: number) => (i: number) => {
      const { eventType, body, signature } = deliveries[from + i]!;
      const headers = { 'content-type': 'application/json', 'x-github-event': eventType, 'x-github-delivery': `bench-${from + i}`, 'x-hub-signature-256': signature };
      return { path: '/api/orgs/bench/webhooks/github', headers, body };
    };
    await sendPaced({ port, rate: 100, count: 500, request: delivery(0) });
    // The backlog while the load runs, each second: processing keeps up when it stays bounded.
    const backlog: { pending: number; waitedS: number }[] = [];
    const sampler = setInterval(async () => {
      const [row] = await db().$queryRaw<{ pending: number; waited: number | null }[]>`
        SELECT count(*)::int AS pending, extract(epoch FROM now() - min("receivedAt"))::float8 AS waited
        FROM "RawEvent" WHERE "orgId" = ${org.id}::uuid AND status = 'pending'`;
      backlog.push({ pending: row!.pending, waitedS: row!.waited ?? 0 });
    }, 1000);
    const result = await sendPaced({ port, rate, count: total - 500, request: delivery(500) });
    clearInterval(sampler);
    const acked = result.acked;
    const started = Date.now();
    let stored = 0;
    let pending = 0;
    for (;;) {
      stored = await db().rawEvent.count({ where: { orgId: org.id } });
      pending = await db().rawEvent.count({ where: { orgId: org.id, status: 'pending' } });
      if (pending === 0 || Date.now() - started > 120_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const drained = (Date.now() - started) / 1000;
    const processed = await db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } });
    // An event that came before what it refers to (a comment before its pull request was stored)
    // fails and is retried 30 s later, as designed.
    const failed = await db().rawEvent.count({ where: { orgId: org.id, status: 'failed' } });
    console.log(`sent ${result.sent}, acknowledged (2xx) ${acked}, other statuses ${result.other}, errors ${result.errors}`);
    console.log(`ack latency p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; ${result.rate.toFixed(0)} req/s`);
    const third = (k: number) => backlog.slice(Math.floor((backlog.length * k) / 3), Math.floor((backlog.length * (k + 1)) / 3));
    const peak = (xs: typeof backlog) => `${Math.max(0, ...xs.map((b) => b.pending))} events / ${Math.max(0, ...xs.map((b) => b.waitedS)).toFixed(1)} s`;
    console.log(`backlog during the load (most pending / oldest wait), by thirds of the run: ${[0, 1, 2].map((k) => peak(third(k))).join(', ')}`);
    console.log(`stored ${stored}, processed ${processed}, failed for a retry ${failed}, pending ${pending} (none pending ${drained.toFixed(1)} s after the load ended), lost ${Math.max(0, acked + 500 - stored)}`);
  });
});
process.exit(0);
