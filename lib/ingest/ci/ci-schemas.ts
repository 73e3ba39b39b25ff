import { z } from 'zod';
import { CI_CONCLUSIONS } from '../../ci/ci-conclusion.ts';

// The generic CI report (POST /api/orgs/{org}/ingest/ci) and JUnit upload. Unknown fields are
// accepted and kept in the raw log.

const time = z.string().datetime({ offset: true });
// A lone UTF-16 surrogate is no text: it cannot be URI-encoded into the delivery id (found by the hostile suite).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const runId = z
  .union([z.string().trim().min(1).max(200).refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode text'), z.number().int().nonnegative()])
  .transform(String);
const repository = z.string().regex(/^[^/\s]+(\/[^/\s]+)+$/, 'must be "owner/name"');
const provider = z.string().regex(/^[a-z0-9_.-]{1,40}$/, 'must be 1-40 of a-z 0-9 _ . -');

export const ciRunReportSchema = z
  .object({
    repository: repository.describe('owner/name (GitLab groups: group/sub/name)'),
    commitSha: z.string().regex(/^[0-9a-fA-F]{7,64}$/, 'must be a hex commit sha').transform((s) => s.toLowerCase()).describe('The commit the run tested'),
    pullRequestNumber: z.number().int().positive().optional().describe('Number of the pull request the run tested'),
    runId: runId.describe("The CI's run id; with attempt it names one execution"),
    attempt: z.number().int().min(1).default(1).describe('1 for the first run, 2… for re-runs'),
    provider: provider.default('ci').describe('Who ran it; `github_actions` joins the run its workflow_run webhook reports'),
    workflow: z.string().trim().min(1).max(200).describe('Workflow or pipeline name'),
    status: z.enum(['queued', 'in_progress', 'completed']),
    conclusion: z.enum(CI_CONCLUSIONS).optional().describe('Required when status is completed'),
    startedAt: time.optional(),
    completedAt: time.optional(),
    branch: z.string().optional(),
    event: z.string().optional().describe('What triggered it: push, pull_request, schedule…'),
    url: z.string().url().optional(),
    junit: z.string().optional().describe('A JUnit XML report of the run'),
  })
  .refine((r) => r.status !== 'completed' || r.conclusion !== undefined, { path: ['conclusion'], message: 'is required when status is completed' });
export type CiRunReport = z.infer<typeof ciRunReportSchema>;

export const junitUploadQuerySchema = z.object({
  attempt: z.coerce.number().int().min(1).default(1),
  repository: repository.optional().describe('Needed only when two repositories have a run of this id'),
  provider: provider.optional(),
});

/** The raw event of a JUnit upload: the query and the report. */
export const junitUploadEventSchema = junitUploadQuerySchema.extend({ runId: z.string(), attempt: z.number().int().min(1), junit: z.string() });
