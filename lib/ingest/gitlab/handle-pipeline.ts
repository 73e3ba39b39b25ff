import { gitlabPipelineConclusion } from '../../ci/ci-conclusion.ts';
import { upsertCiRun } from '../../ci/upsert-ci-run.ts';
import type { HandlerInput } from '../handlers.ts';
import { upsertGitlabRepository } from './handlers.ts';
import { gitlabPipelineEventSchema } from './payload-schemas.ts';

/**
 * Pipeline Hook: one CiRun per pipeline id (`gitlab`). GitLab has no pipeline attempt: retrying
 * jobs keeps the pipeline (its row shows the latest status), a new pipeline on the sha is a row of
 * its own, attempt 1. The hook has no start time; the pipeline's creation stands for it.
 */
export async function handleGitlabPipeline({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { project, object_attributes: pipeline, merge_request: mr } = gitlabPipelineEventSchema.parse(payload);
  const repo = await upsertGitlabRepository(tx, orgId, project);
  const conclusion = gitlabPipelineConclusion(pipeline.status);
  await upsertCiRun(tx, orgId, {
    repositoryId: repo.id,
    provider: 'gitlab',
    externalId: String(pipeline.id),
    runAttempt: 1,
    workflow: pipeline.name || 'pipeline',
    headSha: pipeline.sha,
    headBranch: pipeline.tag ? null : (pipeline.ref ?? null),
    event: pipeline.source ?? null,
    status: pipeline.status,
    conclusion,
    startedAt: pipeline.created_at,
    completedAt: conclusion ? (pipeline.finished_at ?? null) : null,
    url: pipeline.url ?? (project.web_url ? `${project.web_url}/-/pipelines/${pipeline.id}` : null),
    pullRequestNumbers: mr ? [mr.iid] : [],
  });
}
