import { z } from 'zod';

// The parts of Jira Cloud's issue payloads Throughline reads (webhooks and REST search results
// alike); everything else stays in the raw log.

/** Jira writes offsets without a colon (`2019-02-15T19:01:52.971-0800`), which Date parses. */
const jiraTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date-time').transform((s) => new Date(s));

const statusCategoryKey = z.enum(['new', 'indeterminate', 'done', 'undefined']);

export const jiraIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  self: z.string().optional(),
  fields: z.object({
    summary: z.string(),
    created: jiraTime,
    updated: jiraTime,
    statuscategorychangedate: jiraTime.nullable().optional(),
    issuetype: z.object({ name: z.string() }).nullable().optional(),
    status: z.object({ id: z.string(), name: z.string(), statusCategory: z.object({ key: statusCategoryKey }) }),
  }),
  // Present in REST search results with expand=changelog: every change, with its time.
  changelog: z
    .object({ histories: z.array(z.object({ created: jiraTime, items: z.array(z.object({ fieldId: z.string().optional(), field: z.string(), to: z.string().nullable() })) })) })
    .optional(),
});

/** `jira:issue_created` / `_updated` / `_deleted`: the issue, and the change this event made. */
export const jiraWebhookSchema = z.object({
  webhookEvent: z.string(),
  timestamp: z.number(),
  issue: jiraIssueSchema,
  changelog: z.object({ items: z.array(z.object({ fieldId: z.string().optional(), field: z.string(), to: z.string().nullable() })) }).optional(),
});

/** An issue fetched by `throughline backfill jira`, with the categories of the statuses seen in the run. */
export const jiraBackfilledIssueSchema = z.object({
  issue: jiraIssueSchema,
  statusCategories: z.record(z.string(), statusCategoryKey),
});
