// Benchmark: the metrics engine on a large planted org (lib/metrics/planted-truth.ts), bulk-loaded
// with COPY while the rollup triggers are deferred. Measures the full rollup build, the incremental
// refresh after 1,000 new GitHub events (stored, processed by the worker, their days marked), and the weekly API
// (one team, 12 weeks) served from rollups against the same figures computed live from the tables.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:metrics [-- --prs 20000 --commits 200000 --weeks 52 --calls 200]
import { parseArgs } from 'node:util';
import { withBenchDatabase } from './bench-database.ts';
import { lifeOf } from './bench-processing-life.ts';

const { values } = parseArgs({
  options: {
    prs: { type: 'string', default: '20000' },
    commits: { type: 'string', default: '200000' },
    weeks: { type: 'string', default: '52' },
    teams: { type: 'string', default: '10' },
    people: { type: 'string', default: '20', short: 'p' },
    repos: { type: 'string', default: '40' },
    calls: { type: 'string', default: '200' },
    'naive-calls': { type: 'string', default: '20' },
  },
});
const n = (name: keyof typeof values) => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive whole number`);
  return v;
};
const [prs, commits, weeks, calls, naiveCalls] = [n('prs'), n('commits'), n('weeks'), n('calls'), n('naive-calls')];

const DAY = 86_400_000;
const ms = (t: number) => `${t.toFixed(1)} ms`;
const secs = (t: number) => `${(t / 1000).toFixed(1)} s`;
function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}
/** Latencies of `count` sequential calls, after a few unmeasured ones (connections, plans, JIT). */
async function latencies(count: number, run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await run();
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await timed(run))[1]);
  return out;
}

await withBenchDatabase('metrics', async () => {
  const { db } = await import('../lib/db/client.ts');
  const { plantTruth } = await import('../lib/metrics/planted-truth.ts');
  const { computeWeeks } = await import('../lib/metrics/compute-weeks.ts');
  const { readWeekFigures, rebuildOrgRollups, refreshRollups } = await import('../lib/metrics/rollups.ts');
  const { getWeeklyMetrics } = await import('../lib/metrics/weekly.ts');
  const { getOrgBySlug } = await import('../lib/orgs/get-org-by-slug.ts');
  const { storeRawEvent } = await import('../lib/ingest/raw-events.ts');
  const { startWorker, stopWorker } = await import('../lib/ingest/worker.ts');

  // The planted period ends two weeks before today, so every merge is in the past and rolled up.
  const now = new Date();
  const end = new Date(now.getTime() - 14 * DAY);
  const startDay = new Date(end.getTime() - weeks * 7 * DAY);
  startDay.setUTCDate(startDay.getUTCDate() - ((startDay.getUTCDay() + 6) % 7));
  const start = startDay.toISOString().slice(0, 10);

  console.log(`planting ${prs.toLocaleString('en')} PRs, ${commits.toLocaleString('en')} commits over ${weeks} weeks from ${start}…`);
  const [planted, loadMs] = await timed(() =>
    plantTruth({
      seed: 42, timeZone: 'Europe/Berlin', start, weeks, prs, commits, teams: n('teams'), peoplePerTeam: n('people'), repos: n('repos'), truth: false, bypassTriggers: true,
      onProgress: (p) => process.stdout.write(`\r  ${p.prs.toLocaleString('en')} PRs, ${p.commits.toLocaleString('en')} commits`),
    }),
  );
  process.stdout.write('\n');
  const rows = Object.values(planted.written).reduce((a, b) => a + b, 0);
  await db().$executeRawUnsafe('ANALYZE');
  const org = await getOrgBySlug(planted.org.slug);
  const team = planted.teams[0]!;
  const lastWeek = new Date(end.getTime() - 7 * DAY).toISOString().slice(0, 10);
  const query = { team: team.slug, from: new Date(end.getTime() - 12 * 7 * DAY).toISOString().slice(0, 10), to: lastWeek };

  // Naive: the weekly answer computed live from the tables (what every read would cost without rollups).
  const weekStarts = (await getWeeklyMetrics({ org, query })).weeks.map((w) => w.weekStart);
  const input = { db: db(), orgId: org.id, timeZone: org.timeZone, cycleTimeStart: org.cycleTimeStart, countWeakAiSignals: org.countWeakAiSignals, weeks: weekStarts };
  console.log(`naive: ${naiveCalls} live computations…`);
  const naive = await latencies(naiveCalls, () => computeWeeks(input));

  console.log('full rollup build…');
  const [built, rebuildMs] = await timed(() => rebuildOrgRollups(org, now));
  console.log(`weekly API: ${calls} calls…`);
  const served = await latencies(calls, () => getWeeklyMetrics({ org, query }));
  // The rollup read alone: the API also does other work per request (team lookup, flags).
  const reads = await latencies(calls, () => readWeekFigures(org, team.id, weekStarts));

  // 1,000 new events the way they arrive: GitHub deliveries over 167 pull requests' lives (opened,
  // push, synchronize, review, comment, merged) in the last 4 weeks, stored in the raw log, then
  // processed by the worker, whose writes mark their days dirty; then the incremental refresh.
  const lives = Array.from({ length: Math.ceil(1000 / 6) }, (_, i) => lifeOf(prs + 1 + i, end.getTime() - 28 * DAY + i * 4 * 3_600_000)).flat().slice(0, 1000);
  const [, storeMs] = await timed(async () => {
    for (const [i, { eventType, payload }] of lives.entries()) {
      await storeRawEvent({ orgId: org.id, source: 'github', deliveryId: `bench-${i}`, eventType, headers: {}, payload: payload as never });
    }
  });
  // The worker as `npm start` runs it (THROUGHLINE_WORKER_CONCURRENCY drains), until nothing is pending.
  const [, processMs] = await timed(async () => {
    startWorker({ pollMs: 50 });
    while ((await db().rawEvent.count({ where: { orgId: org.id, status: 'pending' } })) > 0) await new Promise((r) => setTimeout(r, 50));
    stopWorker();
  });
  const processed = await db().rawEvent.count({ where: { orgId: org.id, status: { in: ['processed', 'ignored'] } } });
  const failed = await db().rawEvent.count({ where: { orgId: org.id, status: 'failed' } });
  const failure = await db().rawEvent.findFirst({ where: { orgId: org.id, status: 'failed' }, select: { eventType: true, error: true } });
  if (failure) console.log(`a failed event (retried later by the worker): ${failure.eventType}: ${failure.error}`);
  const dirtyDays = await db().rollupDirtyDay.count({ where: { orgId: org.id } });
  const [refreshed, refreshMs] = await timed(() => refreshRollups());
  const afterRefresh = await latencies(calls, () => getWeeklyMetrics({ org, query }));

  const p95Naive = quantile(naive, 0.95);
  const p95Served = quantile(served, 0.95);
  const p95After = quantile(afterRefresh, 0.95);
  const p95Reads = quantile(reads, 0.95);
  console.log(`\nmetrics benchmark (${new Date().toISOString()}, Node ${process.version})`);
  console.table({
    'bulk load': { value: secs(loadMs), detail: `${planted.load}: ${rows.toLocaleString('en')} rows, ${Math.round(rows / (loadMs / 1000)).toLocaleString('en')} rows/s` },
    'full rollup build (rebuildOrgRollups)': { value: secs(rebuildMs), detail: `${built?.weeks ?? 0} weeks` },
    'incremental: 1,000 events stored': { value: ms(storeMs), detail: 'GitHub deliveries into the raw log, one at a time as the receiver does' },
    'incremental: 1,000 events processed': { value: ms(processMs), detail: `${processed} by the worker, ${failed} failed; ${dirtyDays} days marked dirty` },
    'incremental: refreshRollups': { value: ms(refreshMs), detail: `${refreshed.weeks} weeks recomputed` },
    'weekly API p95, from rollups': { value: ms(p95Served), detail: `p50 ${ms(quantile(served, 0.5))}, ${calls} calls, team ${team.slug}, ${weekStarts.length} weeks` },
    'weekly API p95, after the refresh': { value: ms(p95After), detail: `p50 ${ms(quantile(afterRefresh, 0.5))}` },
    'rollup read p95 (readWeekFigures)': { value: ms(p95Reads), detail: `p50 ${ms(quantile(reads, 0.5))}, the figures alone` },
    'naive p95 (computeWeeks live)': { value: ms(p95Naive), detail: `p50 ${ms(quantile(naive, 0.5))}, ${naiveCalls} calls` },
    'speed-up (naive p95 / API p95)': { value: `${(p95Naive / p95Served).toFixed(1)}×`, detail: 'target ≥ 20× and p95 ≤ 100 ms at 1M PRs' },
    'speed-up (naive p95 / rollup read p95)': { value: `${(p95Naive / p95Reads).toFixed(1)}×`, detail: 'the figures alone' },
  });
});
process.exit(0);
