import { z } from 'zod';

// The parts of GitHub's webhook payloads Throughline reads; everything else stays in the raw log.

export const githubUserSchema = z.object({
  id: z.number(),
  login: z.string(),
  type: z.string().optional(),
});

export const githubRepositorySchema = z.object({
  id: z.number(),
  name: z.string(),
  full_name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string().optional(),
  html_url: z.string().optional(),
});

const time = z.string().datetime({ offset: true });

export const githubPullRequestEventSchema = z.object({
  action: z.string(),
  repository: githubRepositorySchema,
  pull_request: z.object({
    id: z.number(),
    number: z.number().int(),
    title: z.string(),
    body: z.string().nullable().optional(),
    html_url: z.string().optional(),
    state: z.enum(['open', 'closed']),
    draft: z.boolean().optional(),
    user: githubUserSchema.nullable(),
    created_at: time,
    updated_at: time,
    closed_at: time.nullable(),
    merged_at: time.nullable(),
    merge_commit_sha: z.string().nullable().optional(),
    head: z.object({ ref: z.string(), sha: z.string() }),
    base: z.object({ ref: z.string() }),
    additions: z.number().int().optional(),
    deletions: z.number().int().optional(),
    changed_files: z.number().int().optional(),
  }),
});

export const githubReviewEventSchema = githubPullRequestEventSchema.extend({
  review: z.object({
    id: z.number(),
    user: githubUserSchema.nullable(),
    body: z.string().nullable().optional(),
    // Webhooks send lower case; the REST API upper case.
    state: z.string().transform((s) => s.toLowerCase()).pipe(z.enum(['approved', 'changes_requested', 'commented', 'dismissed', 'pending'])),
    submitted_at: time.nullable().optional(),
  }),
});

export const githubReviewCommentEventSchema = githubPullRequestEventSchema.extend({
  comment: z.object({
    id: z.number(),
    user: githubUserSchema.nullable(),
    body: z.string(),
    path: z.string().nullable().optional(),
    created_at: time,
    pull_request_review_id: z.number().nullable().optional(),
  }),
});

const gitActorSchema = z.object({ name: z.string(), email: z.string(), username: z.string().optional() });

export const githubPushEventSchema = z.object({
  ref: z.string(),
  repository: githubRepositorySchema,
  commits: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{40}$/),
      message: z.string(),
      timestamp: time,
      author: gitActorSchema,
      committer: gitActorSchema,
    }),
  ),
});

export const githubIssueCommentEventSchema = z.object({
  action: z.string(),
  repository: githubRepositorySchema,
  issue: z.object({ number: z.number().int(), pull_request: z.object({}).passthrough().optional() }),
  comment: z.object({ id: z.number(), body: z.string(), user: githubUserSchema.nullable(), created_at: time }),
});

export const githubIssueEventSchema = z.object({
  action: z.string(),
  repository: githubRepositorySchema,
  issue: z.object({
    id: z.number(),
    number: z.number().int(),
    title: z.string(),
    html_url: z.string().optional(),
    state: z.enum(['open', 'closed']),
    created_at: time,
    updated_at: time,
    closed_at: time.nullable(),
    type: z.object({ name: z.string() }).nullable().optional(),
    pull_request: z.object({}).passthrough().optional(),
  }),
});

// CI: pull_requests[] lists the PRs whose head is the run's commit; `base.repo` tells whose they are.
const githubRunPullRequestSchema = z.object({ number: z.number().int(), base: z.object({ repo: z.object({ id: z.number() }) }).optional() });
const githubAppSchema = z.object({ slug: z.string().optional(), name: z.string() }).nullable().optional();

export const githubWorkflowRunEventSchema = z.object({
  action: z.string(),
  repository: githubRepositorySchema,
  workflow: z.object({ name: z.string() }).nullable().optional(),
  workflow_run: z.object({
    id: z.number(),
    name: z.string().nullable().optional(),
    path: z.string().optional(),
    run_attempt: z.number().int().min(1).optional(),
    head_sha: z.string(),
    head_branch: z.string().nullable(),
    event: z.string().optional(),
    status: z.string().nullable(),
    conclusion: z.string().nullable(),
    created_at: time,
    updated_at: time,
    run_started_at: time.optional(),
    html_url: z.string().optional(),
    pull_requests: z.array(githubRunPullRequestSchema).default([]),
  }),
});

export const githubCheckSuiteEventSchema = z.object({
  action: z.string(),
  repository: githubRepositorySchema,
  check_suite: z.object({
    id: z.number(),
    head_sha: z.string(),
    head_branch: z.string().nullable(),
    status: z.string().nullable(),
    conclusion: z.string().nullable(),
    created_at: time.optional(),
    updated_at: time.optional(),
    app: githubAppSchema,
    pull_requests: z.array(githubRunPullRequestSchema).default([]),
  }),
});

export const githubCheckRunEventSchema = z.object({
  action: z.string(),
  repository: githubRepositorySchema,
  check_run: z.object({
    id: z.number(),
    name: z.string(),
    head_sha: z.string(),
    status: z.string(),
    conclusion: z.string().nullable(),
    started_at: time.nullable().optional(),
    completed_at: time.nullable().optional(),
    html_url: z.string().nullable().optional(),
    app: githubAppSchema,
    check_suite: z.object({ head_branch: z.string().nullable().optional() }).optional(),
    pull_requests: z.array(githubRunPullRequestSchema).default([]),
  }),
});
