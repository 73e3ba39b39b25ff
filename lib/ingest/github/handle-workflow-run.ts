import type { z } from 'zod';
import { githubConclusion } from '../../ci/ci-conclusion.ts';
import { upsertCiRun } from '../../ci/upsert-ci-run.ts';
import type { HandlerInput } from '../handlers.ts';
import { githubWorkflowRunEventSchema, type githubRepositorySchema } from './payload-schemas.ts';
import { upsertGithubRepository } from './upsert-github-entities.ts';
import { prismaSql } from '../../db/sql.ts';

/** The PR numbers of pull_requests[] that belong to this repository (a fork's PR numbers are another repository's). */
export function ownPullRequestNumbers(repository: z.infer<typeof githubRepositorySchema>, prs: { number: number; base?: { repo: { id: number } } }[]): number[] {
  return prs.filter((pr) => !pr.base || pr.base.repo.id === repository.id).map((pr) => pr.number);
}

/**
 * `workflow_run`, every action: one CiRun per run id and attempt (a re-run is attempt 2, its own
 * row). GitHub Actions runs are taken from here only; their check suites and check runs repeat them.
 */
export async function handleGithubWorkflowRun({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { repository, workflow, workflow_run: run } = githubWorkflowRunEventSchema.parse(payload);
  const repo = await upsertGithubRepository(prismaSql(tx), orgId, repository);
  await upsertCiRun(tx, orgId, {
    repositoryId: repo.id,
    provider: 'github_actions',
    externalId: String(run.id),
    runAttempt: run.run_attempt ?? 1,
    workflow: run.name || workflow?.name || run.path || 'workflow',
    headSha: run.head_sha,
    headBranch: run.head_branch,
    event: run.event ?? null,
    status: run.status ?? 'queued',
    conclusion: run.status === 'completed' ? githubConclusion(run.conclusion) : null,
    startedAt: new Date(run.run_started_at ?? run.created_at),
    // A completed run's last update is its completion.
    completedAt: run.status === 'completed' ? new Date(run.updated_at) : null,
    url: run.html_url ?? null,
    pullRequestNumbers: ownPullRequestNumbers(repository, run.pull_requests),
  });
}
