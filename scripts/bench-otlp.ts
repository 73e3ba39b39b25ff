// Benchmark: Claude Code OTLP/HTTP protobuf metric exports at 200 requests/s for 30 s against the
// production server on loopback (its fast path); prints ack latency (p50/p95/p99), errors, and how
// fast the worker turns the stored exports into AI usage rows.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:otlp [-- seconds=30 rate=200]
// Needs a production build (`npm run build`). A database is created for the run and dropped after.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { withBenchDatabase } from './bench-database.ts';
import { withBenchServer } from './bench-server.ts';
import { sendPaced } from './paced-load.ts';

const seconds = Number(process.argv[2] ?? 30);
const rate = Number(process.argv[3] ?? 200);
const port = 3791;
const USERS = 200;
process.env.THROUGHLINE_SECRET_KEY = randomBytes(32).toString('base64');

await withBenchDatabase('otlp', async () => {
  const { db } = await import('../lib/db/client.ts');
  const { createIngestToken } = await import('../lib/auth/tokens.ts');
  const { ExportMetricsServiceRequest } = await import('../lib/ingest/otlp/otlp-proto.ts');
  const org = await db().organization.create({ data: { slug: 'bench', name: 'Bench' } });
  const { token } = await createIngestToken({ orgId: org.id, name: 'Claude Code', scopes: ['otlp:write'] });

  // The documented Claude Code export (all eight metrics, ~3 KB as protobuf), as one export a
  // minute from each of USERS people: every request is a different export, stored and processed.
  const template = readFileSync(new URL('../test/fixtures/otlp/otlp_metrics_export_request.json', import.meta.url), 'utf8');
  const warmCount = 5 * 100;
  const total = warmCount + Math.round(rate * seconds);
  const bodies = Array.from({ length: total }, (_, i) => {
    const json = JSON.parse(template.replaceAll('dev@example.com', `dev${i % USERS}@example.com`));
    const shift = BigInt(Math.floor(i / USERS)) * 60_000_000_000n;
    for (const metric of json.resourceMetrics[0].scopeMetrics[0].metrics) {
      for (const p of metric.sum.dataPoints) {
        p.startTimeUnixNano = String(BigInt(p.startTimeUnixNano) + shift);
        p.timeUnixNano = String(BigInt(p.timeUnixNano) + shift);
      }
    }
    return ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(json)).finish();
  });

  await withBenchServer(port, async () => {
    const path = '/api/orgs/bench/otlp/v1/metrics';
    // Warm up (first requests load the route's modules), then the measured, paced load.
    const headers = { 'content-type': 'application/x-protobuf', authorization: `Bearer ${token}` };
    const exportAt = (from: number) => (i: number) => ({ path, headers, body: bodies[(from + i) % bodies.length]! });
    await sendPaced({ port, rate: 100, count: warmCount, request: exportAt(0) });
    const loadStarted = new Date();
    const result = await sendPaced({ port, rate, count: total - warmCount, request: exportAt(warmCount) });
    const loadEnded = Date.now();
    let stored = 0;
    let processed = 0;
    for (;;) {
      stored = await db().rawEvent.count({ where: { orgId: org.id } });
      processed = await db().rawEvent.count({ where: { orgId: org.id, status: { in: ['processed', 'ignored'] } } });
      // Without a worker (BENCH_WORKER=0, acks alone measured) nothing will be processed.
      if (processed >= stored || process.env.BENCH_WORKER === '0' || Date.now() - loadEnded > 300_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const [window] = await db().$queryRaw<{ n: bigint; first: Date | null; last: Date | null }[]>`
      SELECT count(*) AS n, min("processedAt") AS first, max("processedAt") AS last
      FROM "RawEvent" WHERE "orgId" = ${org.id} AND "receivedAt" >= ${loadStarted}`;
    const busySeconds = window?.first && window.last ? (window.last.getTime() - loadStarted.getTime()) / 1000 : NaN;
    const rows = await db().aiUsageDaily.count({ where: { orgId: org.id } });
    console.log(`sent ${result.sent} (${result.rate.toFixed(0)} req/s), acknowledged 200 ${result.acked}, other statuses ${result.other}, errors ${result.errors}`);
    console.log(`ack latency p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms`);
    const processing =
      process.env.BENCH_WORKER === '0'
        ? 'no worker (BENCH_WORKER=0)'
        : `the measured ${Number(window?.n ?? 0)} processed at ${(Number(window?.n ?? 0) / busySeconds).toFixed(0)} events/s (all done ${((Date.now() - loadEnded) / 1000).toFixed(1)} s after the load ended)`;
    console.log(`stored ${stored} (incl. ${warmCount} warm-up), processed ${processed}; ${processing}; ${rows} AiUsageDaily rows; lost ${Math.max(0, result.acked + warmCount - stored)}`);
  });
});
process.exit(0);
