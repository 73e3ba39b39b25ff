import { z } from 'zod';
import { githubRepositorySchema } from './payload-schemas.ts';

// The parts of GitHub's `deployment`, `deployment_status` and `release` webhooks Throughline reads.

const time = z.string().datetime({ offset: true });

const githubDeploymentSchema = z.object({
  id: z.number(),
  sha: z.string().regex(/^[0-9a-f]{40}$/, 'must be a commit sha'),
  environment: z.string().min(1),
  created_at: time,
});

export const githubDeploymentEventSchema = z.object({
  action: z.string(),
  repository: githubRepositorySchema,
  deployment: githubDeploymentSchema,
});

export const githubDeploymentStatusEventSchema = githubDeploymentEventSchema.extend({
  deployment_status: z.object({
    id: z.number(),
    // error, failure, inactive, in_progress, queued, pending, success (GitHub's list; kept as sent).
    state: z.string().min(1),
    created_at: time,
  }),
});

export const githubReleaseEventSchema = z.object({
  action: z.string(),
  repository: githubRepositorySchema,
  release: z.object({
    id: z.number(),
    tag_name: z.string(),
    target_commitish: z.string(),
    draft: z.boolean(),
    prerelease: z.boolean(),
    created_at: time,
    published_at: time.nullable(),
  }),
});
