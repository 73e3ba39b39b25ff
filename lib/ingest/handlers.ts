import type { Prisma } from '../db/generated/client.ts';
import { handleBackfilledPullRequest } from './github/handle-backfilled-pull-request.ts';
import { handleGithubIssueComment } from './github/handle-issue-comment.ts';
import { handleGithubPullRequest } from './github/handle-pull-request.ts';
import { handleGithubPush } from './github/handle-push.ts';
import { handleGithubReview, handleGithubReviewComment } from './github/handle-review.ts';
import { handleGitlabMergeRequest, handleGitlabNote, handleGitlabPush } from './gitlab/handlers.ts';

export interface HandlerInput {
  tx: Prisma.TransactionClient;
  orgId: string;
  payload: Prisma.JsonValue;
}

export type EventHandler = (input: HandlerInput) => Promise<void>;

// Event types with a handler; any other type is stored and marked ignored.
const HANDLERS: Record<string, Record<string, EventHandler>> = {
  github: {
    ping: async () => {},
    pull_request: handleGithubPullRequest,
    pull_request_review: handleGithubReview,
    pull_request_review_comment: handleGithubReviewComment,
    push: handleGithubPush,
    issue_comment: handleGithubIssueComment,
    'backfill.pull_request': handleBackfilledPullRequest,
    // A backfill's bookkeeping: kept in the log, nothing to derive.
    'backfill.checkpoint': async () => {},
  },
  gitlab: {
    merge_request: handleGitlabMergeRequest,
    note: handleGitlabNote,
    push: handleGitlabPush,
  },
};

export function handlerFor(source: string, eventType: string): EventHandler | undefined {
  return HANDLERS[source]?.[eventType];
}
