import { parseJunit } from '../../ci/parse-junit.ts';
import { storeTestResults } from '../../ci/store-test-results.ts';
import { upsertCiRun } from '../../ci/upsert-ci-run.ts';
import type { Prisma } from '../../db/generated/client.ts';
import type { HandlerInput } from '../handlers.ts';
import { ciRunReportSchema, junitUploadEventSchema } from './ci-schemas.ts';

type Tx = Prisma.TransactionClient;

/** The repository a generic report names: a stored one of that owner/name, else a new one of the provider's host. */
async function findOrCreateRepository(tx: Tx, orgId: string, fullName: string, provider: string) {
  const slash = fullName.lastIndexOf('/');
  const [owner, name] = [fullName.slice(0, slash), fullName.slice(slash + 1)];
  const stored = await tx.repository.findFirst({ where: { orgId, owner, name }, orderBy: { provider: 'asc' } });
  if (stored) return stored;
  const host = provider.startsWith('github') ? ('github' as const) : provider.startsWith('gitlab') ? ('gitlab' as const) : ('git' as const);
  return tx.repository.upsert({ where: { orgId_provider_owner_name: { orgId, provider: host, owner, name } }, create: { orgId, provider: host, owner, name }, update: {} });
}

/** `ci.run`: a generic report; its JUnit, when sent along, becomes the run's test summaries. */
export async function handleCiRunReport({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const report = ciRunReportSchema.parse(payload);
  const repo = await findOrCreateRepository(tx, orgId, report.repository, report.provider);
  const run = await upsertCiRun(tx, orgId, {
    repositoryId: repo.id,
    provider: report.provider,
    externalId: report.runId,
    runAttempt: report.attempt,
    workflow: report.workflow,
    headSha: report.commitSha,
    headBranch: report.branch ?? null,
    event: report.event ?? null,
    status: report.status,
    conclusion: report.status === 'completed' ? (report.conclusion ?? null) : null,
    startedAt: report.startedAt ? new Date(report.startedAt) : null,
    completedAt: report.status === 'completed' && report.completedAt ? new Date(report.completedAt) : null,
    url: report.url ?? null,
    pullRequestNumbers: report.pullRequestNumber ? [report.pullRequestNumber] : [],
  });
  if (report.junit !== undefined) await storeTestResults(tx, orgId, run, parseJunit(report.junit));
}

/**
 * `ci.junit`: the report of a run already reported. A run not stored yet (its report still in the
 * log, or not sent) fails the event, which the worker retries with backoff.
 */
export async function handleJunitUpload({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const upload = junitUploadEventSchema.parse(payload);
  const slash = upload.repository?.lastIndexOf('/') ?? -1;
  const runs = await tx.ciRun.findMany({
    where: {
      orgId,
      externalId: upload.runId,
      runAttempt: upload.attempt,
      ...(upload.provider ? { provider: upload.provider } : {}),
      ...(upload.repository ? { repository: { owner: upload.repository.slice(0, slash), name: upload.repository.slice(slash + 1) } } : {}),
    },
    take: 2,
  });
  if (runs.length === 0) throw new Error(`CI run ${upload.runId} attempt ${upload.attempt} is not reported yet`);
  if (runs.length > 1) throw new Error(`CI run ${upload.runId} attempt ${upload.attempt} exists in several repositories or providers: upload with ?repository= and ?provider=`);
  await storeTestResults(tx, orgId, runs[0]!, parseJunit(upload.junit));
}
