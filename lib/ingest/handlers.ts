import type { Prisma } from '../db/generated/client.ts';
import { db } from '../db/client.ts';
import { prismaSql, type Sql } from '../db/sql.ts';
import { inTransaction } from '../db/transaction.ts';
import { AI_USAGE_HANDLERS } from './ai-usage/ai-usage-handlers.ts';
import { handleCiRunReport, handleJunitUpload } from './ci/handle-ci-report.ts';
import { handleBackfilledPullRequest } from './github/handle-backfilled-pull-request.ts';
import { handleGithubDeployment, handleGithubDeploymentStatus, handleGithubRelease } from './github/handle-deployment.ts';
import { handleGithubIssue } from './github/handle-issue.ts';
import { handleGithubCheckRun, handleGithubCheckSuite } from './github/handle-checks.ts';
import { handleGithubIssueComment } from './github/handle-issue-comment.ts';
import { handleGithubPullRequest } from './github/handle-pull-request.ts';
import { handleGithubPush } from './github/handle-push.ts';
import { handleGithubReview, handleGithubReviewComment } from './github/handle-review.ts';
import { handleGithubWorkflowRun } from './github/handle-workflow-run.ts';
import { handleGitlabPipeline } from './gitlab/handle-pipeline.ts';
import { handleGitlabMergeRequest, handleGitlabNote, handleGitlabPush } from './gitlab/handlers.ts';
import { handleJiraBackfilledIssue, handleJiraWebhookIssue, handleJiraWebhookIssueDeleted } from './jira/handle-jira-issue.ts';
import { handleLinearIssue } from './linear/handle-linear-issue.ts';
import { handleLinearAttachment } from './linear/handle-linear-attachment.ts';
import { handleLinearBackfilledIssue } from './linear/handle-linear-backfilled-issue.ts';
import { handleOtlpMetrics } from './otlp/handle-otlp-metrics.ts';

export interface EventInput {
  orgId: string;
  /** The raw event being handled, for rows that record which event set them. */
  eventId: string;
  payload: Prisma.JsonValue;
}

/** A handler on a Prisma transaction. */
export interface HandlerInput extends EventInput {
  tx: Prisma.TransactionClient;
}
export type EventHandler = (input: HandlerInput) => Promise<void>;

/**
 * A handler written in SQL statements (lib/db/sql.ts): the events that come most often, whose
 * handling costs the worker several times less CPU this way.
 */
export interface SqlHandlerInput extends EventInput {
  sql: Sql;
}
export type SqlEventHandler = (input: SqlHandlerInput) => Promise<void>;

const inSql = (run: SqlEventHandler) => ({ sql: run });
type Registered = EventHandler | ReturnType<typeof inSql>;

// Event types with a handler; any other type is stored and marked ignored.
const HANDLERS: Record<string, Record<string, Registered>> = {
  // AI usage reports and vendor imports (ai_usage, copilot, cursor, anthropic, openai).
  ...AI_USAGE_HANDLERS,
  github: {
    ping: async () => {},
    pull_request: inSql(handleGithubPullRequest),
    pull_request_review: inSql(handleGithubReview),
    pull_request_review_comment: inSql(handleGithubReviewComment),
    push: inSql(handleGithubPush),
    issue_comment: inSql(handleGithubIssueComment),
    issues: handleGithubIssue,
    'backfill.pull_request': handleBackfilledPullRequest,
    // A backfill's bookkeeping: kept in the log, nothing to derive.
    'backfill.checkpoint': async () => {},
    workflow_run: handleGithubWorkflowRun,
    check_suite: handleGithubCheckSuite,
    check_run: handleGithubCheckRun,
    deployment: handleGithubDeployment,
    deployment_status: handleGithubDeploymentStatus,
    release: handleGithubRelease,
  },
  gitlab: {
    merge_request: handleGitlabMergeRequest,
    note: handleGitlabNote,
    push: handleGitlabPush,
    pipeline: handleGitlabPipeline,
  },
  ci: {
    'ci.run': handleCiRunReport,
    'ci.junit': handleJunitUpload,
  },
  jira: {
    'jira:issue_created': handleJiraWebhookIssue,
    'jira:issue_updated': handleJiraWebhookIssue,
    'jira:issue_deleted': handleJiraWebhookIssueDeleted,
    'backfill.issue': handleJiraBackfilledIssue,
  },
  linear: {
    Issue: handleLinearIssue,
    Attachment: handleLinearAttachment,
    'backfill.issue': handleLinearBackfilledIssue,
    // A backfill's bookkeeping: kept in the log, nothing to derive.
    'backfill.checkpoint': async () => {},
  },
  otlp: {
    'otlp.metrics': inSql(handleOtlpMetrics),
  },
};

export type Handler = { kind: 'prisma'; run: EventHandler } | { kind: 'sql'; run: SqlEventHandler };

export function handlerFor(source: string, eventType: string): Handler | undefined {
  const registered = HANDLERS[source]?.[eventType];
  if (!registered) return undefined;
  return typeof registered === 'function' ? { kind: 'prisma', run: registered } : { kind: 'sql', run: registered.sql };
}

/**
 * Runs a handler in a transaction of its kind, then `after` on the same transaction before it
 * commits (the worker marks the event processed there, so both commit together or neither does).
 */
export async function handleInTransaction(handler: Handler, input: EventInput, after: (sql: Sql) => Promise<unknown>): Promise<void> {
  if (handler.kind === 'sql') {
    await inTransaction(async (sql) => {
      await handler.run({ ...input, sql });
      await after(sql);
    });
    return;
  }
  await db().$transaction(
    async (tx) => {
      await handler.run({ ...input, tx });
      await after(prismaSql(tx));
    },
    { timeout: 60_000 },
  );
}
