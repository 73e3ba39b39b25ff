import type { CiRun, Prisma } from '../db/generated/client.ts';
import { ciDeliveryPrefix } from '../ingest/ci/ci-delivery-id.ts';
import type { JunitSuiteSummary } from './parse-junit.ts';

type Tx = Prisma.TransactionClient;

// Flaky across attempts: a test that passes in a run and failed, in the same suite, in an earlier
// attempt of the same workflow on the same sha is recorded in the passing run's `flakyTests` (with
// the tests the report itself marks flaky, Surefire's flakyFailure). "Earlier" orders the runs by
// (attempt, start time, id), so a re-run (attempt 2) and a fresh run of the workflow on that sha
// both count. Reports arrive in any order: when an earlier attempt's failures come after a later
// attempt's report, that report's raw events are made due again, so the worker recomputes it.

const order = (r: Pick<CiRun, 'runAttempt' | 'startedAt' | 'id'>) => [r.runAttempt, r.startedAt?.getTime() ?? Number.MAX_SAFE_INTEGER, r.id] as const;

function isBefore(a: CiRun, b: CiRun): boolean {
  const [x, y] = [order(a), order(b)];
  return x[0] !== y[0] ? x[0] < y[0] : x[1] !== y[1] ? x[1] < y[1] : x[2] < y[2];
}

const names = (json: Prisma.JsonValue): string[] => (Array.isArray(json) ? json.filter((n): n is string => typeof n === 'string') : []);

/** Stores one summary per suite of the run's report (a resent report replaces them). */
export async function storeTestResults(tx: Tx, orgId: string, run: CiRun, suites: JunitSuiteSummary[]): Promise<void> {
  const siblings = await tx.ciRun.findMany({
    where: { orgId, repositoryId: run.repositoryId, provider: run.provider, workflow: run.workflow, headSha: run.headSha, NOT: { id: run.id } },
    include: { testResults: { select: { suite: true, failingTests: true } } },
  });
  const earlier = siblings.filter((s) => isBefore(s, run));
  for (const { passedTests, ...summary } of suites) {
    const failedBefore = new Set(earlier.flatMap((s) => s.testResults.filter((t) => t.suite === summary.suite).flatMap((t) => names(t.failingTests))));
    const flakyTests = [...new Set([...summary.flakyTests, ...passedTests.filter((t) => failedBefore.has(t))])];
    const data = { ...summary, failingTests: summary.failingTests, flakyTests };
    await tx.testResultSummary.upsert({ where: { orgId_ciRunId_suite: { orgId, ciRunId: run.id, suite: summary.suite } }, create: { orgId, ciRunId: run.id, ...data }, update: data });
  }
  const failed = suites.some((s) => s.failingTests.length > 0);
  const laterReported = siblings.filter((s) => s.testResults.length > 0 && isBefore(run, s));
  if (!failed || laterReported.length === 0) return;
  await tx.rawEvent.updateMany({
    where: { orgId, source: 'ci', status: 'processed', OR: laterReported.map((s) => ({ deliveryId: { startsWith: ciDeliveryPrefix(s.externalId, s.runAttempt) } })) },
    data: { status: 'pending', attempts: 0, nextAttemptAt: new Date() },
  });
}
