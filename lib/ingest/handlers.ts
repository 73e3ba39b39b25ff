import type { Prisma } from '../db/generated/client.ts';
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

export interface HandlerInput {
  tx: Prisma.TransactionClient;
  orgId: string;
  /// The raw event being handled, for rows that record which event set them.
  eventId: string;
  payload: Prisma.JsonValue;
}

export type EventHandler = (input: HandlerInput) => Promise<void>;

// Event types with a handler; any other type is stored and marked ignored.
const HANDLERS: Record<string, Record<string, EventHandler>> = {
  // AI usage reports and vendor imports (ai_usage, copilot, cursor, anthropic, openai).
  ...AI_USAGE_HANDLERS,
  github: {
    ping: async () => {},
    pull_request: handleGithubPullRequest,
    pull_request_review: handleGithubReview,
    pull_request_review_comment: handleGithubReviewComment,
    push: handleGithubPush,
    issue_comment: handleGithubIssueComment,
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
    'otlp.metrics': handleOtlpMetrics,
  },
};

export function handlerFor(source: string, eventType: string): EventHandler | undefined {
  return HANDLERS[source]?.[eventType];
}
