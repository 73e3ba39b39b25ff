import { githubConclusion } from '../../ci/ci-conclusion.ts';
import { upsertCiRun } from '../../ci/upsert-ci-run.ts';
import type { HandlerInput } from '../handlers.ts';
import { ownPullRequestNumbers } from './handle-workflow-run.ts';
import { githubCheckRunEventSchema, githubCheckSuiteEventSchema } from './payload-schemas.ts';
import { upsertGithubRepository } from './upsert-github-entities.ts';
import { prismaSql } from '../../db/sql.ts';

// Checks from CI apps other than GitHub Actions (CircleCI, Buildkite, …); Actions' own suites and
// runs repeat its workflow runs, which carry the attempt, so they are left to `workflow_run`.
// The Checks API has no attempt: a re-requested check suite keeps its id (its row shows the latest
// completion), and a re-run check run gets a new id (a row of its own, attempt 1).
const isGithubActions = (app: { slug?: string } | null | undefined) => app?.slug === 'github-actions';

/** `check_suite`: one row per suite, the app's roll-up for a commit (`github_check_suite`). */
export async function handleGithubCheckSuite({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { repository, check_suite: suite } = githubCheckSuiteEventSchema.parse(payload);
  if (isGithubActions(suite.app)) return;
  const repo = await upsertGithubRepository(prismaSql(tx), orgId, repository);
  const completed = suite.status === 'completed';
  await upsertCiRun(tx, orgId, {
    repositoryId: repo.id,
    provider: 'github_check_suite',
    externalId: String(suite.id),
    runAttempt: 1,
    workflow: suite.app?.name ?? 'check suite',
    headSha: suite.head_sha,
    headBranch: suite.head_branch,
    event: null,
    status: suite.status ?? 'queued',
    conclusion: completed ? githubConclusion(suite.conclusion) : null,
    startedAt: suite.created_at ? new Date(suite.created_at) : null,
    completedAt: completed && suite.updated_at ? new Date(suite.updated_at) : null,
    url: null,
    pullRequestNumbers: ownPullRequestNumbers(repository, suite.pull_requests),
  });
}

/** `check_run`: one row per check run, named by the check (`github_check_run`). */
export async function handleGithubCheckRun({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { repository, check_run: run } = githubCheckRunEventSchema.parse(payload);
  if (isGithubActions(run.app)) return;
  const repo = await upsertGithubRepository(prismaSql(tx), orgId, repository);
  const completed = run.status === 'completed';
  await upsertCiRun(tx, orgId, {
    repositoryId: repo.id,
    provider: 'github_check_run',
    externalId: String(run.id),
    runAttempt: 1,
    workflow: run.name,
    headSha: run.head_sha,
    headBranch: run.check_suite?.head_branch ?? null,
    event: null,
    status: run.status,
    conclusion: completed ? githubConclusion(run.conclusion) : null,
    startedAt: run.started_at ? new Date(run.started_at) : null,
    completedAt: completed && run.completed_at ? new Date(run.completed_at) : null,
    url: run.html_url ?? null,
    pullRequestNumbers: ownPullRequestNumbers(repository, run.pull_requests),
  });
}
