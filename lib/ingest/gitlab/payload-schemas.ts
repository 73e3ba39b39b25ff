import { z } from 'zod';

// The parts of GitLab's webhook payloads Throughline reads. GitLab writes times both as ISO 8601
// and as "2015-05-17 18:21:36 UTC" (older instances and some hooks).
export const gitlabTime = z
  .string()
  .transform((s) => new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/.test(s) ? `${s.slice(0, 10)}T${s.slice(11, 19)}Z` : s))
  .refine((d) => !Number.isNaN(d.getTime()), 'not a time');

export const gitlabProjectSchema = z.object({
  id: z.number(),
  path_with_namespace: z.string().regex(/^.+\/[^/]+$/),
  default_branch: z.string().nullable().optional(),
  web_url: z.string().optional(),
});

export const gitlabUserSchema = z.object({ id: z.number(), username: z.string(), name: z.string().optional() });

export const gitlabMergeRequestSchema = z.object({
  id: z.number(),
  iid: z.number().int(),
  title: z.string(),
  description: z.string().nullable().optional(),
  state: z.enum(['opened', 'closed', 'merged', 'locked']),
  author_id: z.number(),
  source_branch: z.string(),
  target_branch: z.string(),
  created_at: gitlabTime,
  updated_at: gitlabTime,
  draft: z.boolean().optional(),
  work_in_progress: z.boolean().optional(),
  url: z.string().optional(),
  last_commit: z.object({ id: z.string() }).nullable().optional(),
  action: z.string().optional(),
});

export const gitlabMergeRequestEventSchema = z.object({
  object_kind: z.literal('merge_request'),
  user: gitlabUserSchema,
  project: gitlabProjectSchema,
  object_attributes: gitlabMergeRequestSchema,
});

export const gitlabNoteEventSchema = z.object({
  object_kind: z.literal('note'),
  user: gitlabUserSchema,
  project: gitlabProjectSchema,
  object_attributes: z.object({ id: z.number(), note: z.string(), noteable_type: z.string(), created_at: gitlabTime, position: z.object({ new_path: z.string().nullable().optional() }).nullable().optional() }),
  merge_request: gitlabMergeRequestSchema.omit({ action: true }).optional(),
});

export const gitlabPushEventSchema = z.object({
  object_kind: z.literal('push'),
  ref: z.string(),
  project: gitlabProjectSchema,
  commits: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{40}$/), message: z.string(), timestamp: gitlabTime, author: z.object({ name: z.string(), email: z.string() }) })),
});

export const gitlabPipelineEventSchema = z.object({
  object_kind: z.literal('pipeline'),
  project: gitlabProjectSchema,
  object_attributes: z.object({
    id: z.number(),
    name: z.string().nullable().optional(),
    ref: z.string().nullable().optional(),
    tag: z.boolean().optional(),
    sha: z.string(),
    source: z.string().optional(),
    status: z.string(),
    created_at: gitlabTime,
    finished_at: gitlabTime.nullable().optional(),
    url: z.string().optional(),
  }),
  merge_request: z.object({ iid: z.number().int() }).nullable().optional(),
});
