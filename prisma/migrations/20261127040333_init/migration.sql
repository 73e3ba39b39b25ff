-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'member');

-- CreateEnum
CREATE TYPE "CycleTimeStart" AS ENUM ('created', 'in_progress');

-- CreateEnum
CREATE TYPE "SsoKind" AS ENUM ('oidc', 'saml');

-- CreateEnum
CREATE TYPE "EventSource" AS ENUM ('github', 'gitlab', 'jira', 'linear', 'ci', 'otlp', 'copilot', 'cursor', 'anthropic', 'openai', 'git_import');

-- CreateEnum
CREATE TYPE "IdentityProvider" AS ENUM ('github', 'gitlab', 'jira', 'linear', 'git_email', 'claude_code', 'cursor', 'copilot', 'openai', 'anthropic');

-- CreateEnum
CREATE TYPE "RepoProvider" AS ENUM ('github', 'gitlab', 'git');

-- CreateEnum
CREATE TYPE "PullRequestState" AS ENUM ('open', 'closed', 'merged');

-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('approved', 'changes_requested', 'commented', 'dismissed');

-- CreateEnum
CREATE TYPE "CiConclusion" AS ENUM ('success', 'failure', 'cancelled', 'timed_out', 'skipped', 'neutral', 'action_required', 'stale');

-- CreateEnum
CREATE TYPE "TicketSource" AS ENUM ('jira', 'linear', 'github', 'gitlab');

-- CreateEnum
CREATE TYPE "StatusCategory" AS ENUM ('todo', 'in_progress', 'done');

-- CreateEnum
CREATE TYPE "LinkFoundBy" AS ENUM ('branch_name', 'pr_title', 'pr_body', 'commit_message', 'closing_keyword', 'tracker_attachment', 'manual');

-- CreateEnum
CREATE TYPE "AiTool" AS ENUM ('claude_code', 'cursor', 'copilot', 'openai', 'anthropic_api', 'other');

-- CreateEnum
CREATE TYPE "AiRuleKind" AS ENUM ('commit_trailer', 'commit_author', 'commit_message', 'branch_name', 'pr_label');

-- CreateEnum
CREATE TYPE "RawEventStatus" AS ENUM ('pending', 'processed', 'failed', 'ignored');

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "cycleTimeStart" "CycleTimeStart" NOT NULL DEFAULT 'in_progress',
    "distortionThreshold" DOUBLE PRECISION NOT NULL DEFAULT 1.5,
    "defaultRole" "Role" NOT NULL DEFAULT 'member',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "emailVerified" TIMESTAMPTZ(3),
    "image" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL
);

-- CreateTable
CREATE TABLE "Membership" (
    "orgId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'member',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("orgId","userId")
);

-- CreateTable
CREATE TABLE "SsoConnection" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" "SsoKind" NOT NULL,
    "issuer" TEXT,
    "clientId" TEXT,
    "clientSecretEnc" TEXT,
    "samlMetadataXml" TEXT,
    "samlMetadataUrl" TEXT,
    "allowedDomains" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SsoConnection_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "IngestToken" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "IngestToken_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "WebhookSecret" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "source" "EventSource" NOT NULL,
    "secretEnc" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookSecret_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "AuditLogEntry" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "actorUserId" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLogEntry_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "Team" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "Person" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "email" TEXT,
    "isBot" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "Identity" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "provider" "IdentityProvider" NOT NULL,
    "externalId" TEXT NOT NULL,
    "login" TEXT,
    "email" TEXT,

    CONSTRAINT "Identity_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "TeamMembership" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "validFrom" TIMESTAMPTZ(3) NOT NULL,
    "validTo" TIMESTAMPTZ(3),

    CONSTRAINT "TeamMembership_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "Repository" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "provider" "RepoProvider" NOT NULL,
    "externalId" TEXT,
    "owner" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "defaultBranch" TEXT NOT NULL DEFAULT 'main',
    "defaultTeamId" TEXT,
    "url" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Repository_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "PullRequest" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "externalId" TEXT,
    "title" TEXT NOT NULL,
    "body" TEXT,
    "url" TEXT,
    "authorId" TEXT,
    "state" "PullRequestState" NOT NULL,
    "isDraft" BOOLEAN NOT NULL DEFAULT false,
    "headBranch" TEXT,
    "baseBranch" TEXT,
    "headSha" TEXT,
    "mergeCommitSha" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "readyAt" TIMESTAMPTZ(3),
    "firstCommitAt" TIMESTAMPTZ(3),
    "firstReviewAt" TIMESTAMPTZ(3),
    "approvedAt" TIMESTAMPTZ(3),
    "mergedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "additions" INTEGER NOT NULL DEFAULT 0,
    "deletions" INTEGER NOT NULL DEFAULT 0,
    "changedFiles" INTEGER NOT NULL DEFAULT 0,
    "aiShare" DOUBLE PRECISION,
    "aiEvidence" JSONB NOT NULL DEFAULT '[]',
    "sourceUpdatedAt" TIMESTAMPTZ(3),
    "isInferred" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "PullRequest_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "Commit" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "authorId" TEXT,
    "authorEmail" TEXT,
    "authorName" TEXT,
    "authoredAt" TIMESTAMPTZ(3) NOT NULL,
    "committedAt" TIMESTAMPTZ(3) NOT NULL,
    "message" TEXT NOT NULL,
    "additions" INTEGER NOT NULL DEFAULT 0,
    "deletions" INTEGER NOT NULL DEFAULT 0,
    "aiAdditions" INTEGER NOT NULL DEFAULT 0,
    "isAi" BOOLEAN NOT NULL DEFAULT false,
    "aiEvidence" JSONB NOT NULL DEFAULT '[]',
    "parentCount" INTEGER NOT NULL DEFAULT 1,
    "onDefaultBranch" BOOLEAN NOT NULL DEFAULT false,
    "branches" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "Commit_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "PullRequestCommit" (
    "orgId" TEXT NOT NULL,
    "pullRequestId" TEXT NOT NULL,
    "commitId" TEXT NOT NULL,

    CONSTRAINT "PullRequestCommit_pkey" PRIMARY KEY ("orgId","pullRequestId","commitId")
);

-- CreateTable
CREATE TABLE "Review" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "pullRequestId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "reviewerId" TEXT,
    "state" "ReviewState" NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL,
    "body" TEXT,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "ReviewComment" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "pullRequestId" TEXT NOT NULL,
    "reviewId" TEXT,
    "externalId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "path" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReviewComment_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "CiRun" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "runAttempt" INTEGER NOT NULL DEFAULT 1,
    "workflow" TEXT NOT NULL,
    "headSha" TEXT NOT NULL,
    "headBranch" TEXT,
    "pullRequestId" TEXT,
    "event" TEXT,
    "status" TEXT NOT NULL,
    "conclusion" "CiConclusion",
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "url" TEXT,

    CONSTRAINT "CiRun_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "TestResultSummary" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "ciRunId" TEXT NOT NULL,
    "suite" TEXT NOT NULL DEFAULT '',
    "total" INTEGER NOT NULL,
    "passed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "errored" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "durationMs" INTEGER,
    "failingTests" JSONB NOT NULL DEFAULT '[]',
    "flakyTests" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TestResultSummary_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "Deployment" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "source" "TicketSource" NOT NULL,
    "externalId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "type" TEXT,
    "statusName" TEXT,
    "statusCategory" "StatusCategory" NOT NULL,
    "url" TEXT,
    "assigneeId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "doneAt" TIMESTAMPTZ(3),
    "sourceUpdatedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "TicketPullRequestLink" (
    "orgId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "pullRequestId" TEXT NOT NULL,
    "foundBy" "LinkFoundBy" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketPullRequestLink_pkey" PRIMARY KEY ("orgId","ticketId","pullRequestId","foundBy")
);

-- CreateTable
CREATE TABLE "AiUsageDaily" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "tool" "AiTool" NOT NULL,
    "identityKey" TEXT NOT NULL,
    "model" TEXT NOT NULL DEFAULT '',
    "personId" TEXT,
    "tokensIn" BIGINT NOT NULL DEFAULT 0,
    "tokensOut" BIGINT NOT NULL DEFAULT 0,
    "tokensCacheRead" BIGINT NOT NULL DEFAULT 0,
    "tokensCacheWrite" BIGINT NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(14,4) NOT NULL DEFAULT 0,
    "linesSuggested" INTEGER NOT NULL DEFAULT 0,
    "linesAccepted" INTEGER NOT NULL DEFAULT 0,
    "sessions" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AiUsageDaily_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "AiAttributionRule" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" "AiRuleKind" NOT NULL,
    "pattern" TEXT NOT NULL,
    "tool" "AiTool" NOT NULL DEFAULT 'other',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AiAttributionRule_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "Annotation" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "teamId" TEXT,
    "date" DATE NOT NULL,
    "label" TEXT NOT NULL,
    "description" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Annotation_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "WeeklyReview" (
    "orgId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "snapshot" JSONB NOT NULL,
    "snapshotAt" TIMESTAMPTZ(3) NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WeeklyReview_pkey" PRIMARY KEY ("orgId","teamId","weekStart")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "text" TEXT NOT NULL,
    "doneAt" TIMESTAMPTZ(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "RawEvent" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "source" "EventSource" NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "RawEventStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "RawEvent_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateTable
CREATE TABLE "WeeklyTeamRollup" (
    "orgId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "metricsVersion" INTEGER NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL,
    "commits" INTEGER NOT NULL,
    "aiCommits" INTEGER NOT NULL,
    "linesAdded" INTEGER NOT NULL,
    "aiLinesAdded" INTEGER NOT NULL,
    "prsMerged" INTEGER NOT NULL,
    "aiPrsMerged" INTEGER NOT NULL,
    "ticketsDone" INTEGER NOT NULL,
    "activeEngineers" INTEGER NOT NULL,
    "tokensTotal" BIGINT NOT NULL,
    "costUsd" DECIMAL(14,4) NOT NULL,
    "ticketToMergeP50Hours" DOUBLE PRECISION,
    "ticketToMergeP85Hours" DOUBLE PRECISION,
    "firstRunPassRate" DOUBLE PRECISION,
    "reviewTimeP50Hours" DOUBLE PRECISION,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "WeeklyTeamRollup_pkey" PRIMARY KEY ("orgId","teamId","weekStart")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE INDEX "Session_orgId_idx" ON "Session"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_token_key" ON "VerificationToken"("token");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_identifier_token_key" ON "VerificationToken"("identifier", "token");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE INDEX "IngestToken_tokenHash_idx" ON "IngestToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "IngestToken_orgId_tokenHash_key" ON "IngestToken"("orgId", "tokenHash");

-- CreateIndex
CREATE INDEX "WebhookSecret_orgId_source_idx" ON "WebhookSecret"("orgId", "source");

-- CreateIndex
CREATE INDEX "AuditLogEntry_orgId_createdAt_idx" ON "AuditLogEntry"("orgId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Team_orgId_slug_key" ON "Team"("orgId", "slug");

-- CreateIndex
CREATE INDEX "Identity_orgId_personId_idx" ON "Identity"("orgId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_orgId_provider_externalId_key" ON "Identity"("orgId", "provider", "externalId");

-- CreateIndex
CREATE INDEX "TeamMembership_orgId_personId_validFrom_idx" ON "TeamMembership"("orgId", "personId", "validFrom");

-- CreateIndex
CREATE INDEX "TeamMembership_orgId_teamId_idx" ON "TeamMembership"("orgId", "teamId");

-- CreateIndex
CREATE UNIQUE INDEX "Repository_orgId_provider_owner_name_key" ON "Repository"("orgId", "provider", "owner", "name");

-- CreateIndex
CREATE INDEX "PullRequest_orgId_mergedAt_idx" ON "PullRequest"("orgId", "mergedAt");

-- CreateIndex
CREATE INDEX "PullRequest_orgId_repositoryId_headSha_idx" ON "PullRequest"("orgId", "repositoryId", "headSha");

-- CreateIndex
CREATE UNIQUE INDEX "PullRequest_orgId_repositoryId_number_key" ON "PullRequest"("orgId", "repositoryId", "number");

-- CreateIndex
CREATE INDEX "Commit_orgId_committedAt_idx" ON "Commit"("orgId", "committedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Commit_orgId_repositoryId_sha_key" ON "Commit"("orgId", "repositoryId", "sha");

-- CreateIndex
CREATE INDEX "PullRequestCommit_orgId_commitId_idx" ON "PullRequestCommit"("orgId", "commitId");

-- CreateIndex
CREATE UNIQUE INDEX "Review_orgId_pullRequestId_externalId_key" ON "Review"("orgId", "pullRequestId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewComment_orgId_pullRequestId_externalId_key" ON "ReviewComment"("orgId", "pullRequestId", "externalId");

-- CreateIndex
CREATE INDEX "CiRun_orgId_repositoryId_headSha_idx" ON "CiRun"("orgId", "repositoryId", "headSha");

-- CreateIndex
CREATE UNIQUE INDEX "CiRun_orgId_repositoryId_provider_externalId_runAttempt_key" ON "CiRun"("orgId", "repositoryId", "provider", "externalId", "runAttempt");

-- CreateIndex
CREATE UNIQUE INDEX "TestResultSummary_orgId_ciRunId_suite_key" ON "TestResultSummary"("orgId", "ciRunId", "suite");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_orgId_repositoryId_externalId_key" ON "Deployment"("orgId", "repositoryId", "externalId");

-- CreateIndex
CREATE INDEX "Ticket_orgId_key_idx" ON "Ticket"("orgId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_orgId_source_externalId_key" ON "Ticket"("orgId", "source", "externalId");

-- CreateIndex
CREATE INDEX "TicketPullRequestLink_orgId_pullRequestId_idx" ON "TicketPullRequestLink"("orgId", "pullRequestId");

-- CreateIndex
CREATE INDEX "AiUsageDaily_orgId_personId_day_idx" ON "AiUsageDaily"("orgId", "personId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "AiUsageDaily_orgId_day_tool_identityKey_model_key" ON "AiUsageDaily"("orgId", "day", "tool", "identityKey", "model");

-- CreateIndex
CREATE INDEX "Annotation_orgId_teamId_date_idx" ON "Annotation"("orgId", "teamId", "date");

-- CreateIndex
CREATE INDEX "ActionItem_orgId_teamId_weekStart_idx" ON "ActionItem"("orgId", "teamId", "weekStart");

-- CreateIndex
CREATE INDEX "RawEvent_status_nextAttemptAt_idx" ON "RawEvent"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "RawEvent_orgId_source_deliveryId_key" ON "RawEvent"("orgId", "source", "deliveryId");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SsoConnection" ADD CONSTRAINT "SsoConnection_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IngestToken" ADD CONSTRAINT "IngestToken_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookSecret" ADD CONSTRAINT "WebhookSecret_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLogEntry" ADD CONSTRAINT "AuditLogEntry_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Team" ADD CONSTRAINT "Team_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Identity" ADD CONSTRAINT "Identity_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Identity" ADD CONSTRAINT "Identity_orgId_personId_fkey" FOREIGN KEY ("orgId", "personId") REFERENCES "Person"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMembership" ADD CONSTRAINT "TeamMembership_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMembership" ADD CONSTRAINT "TeamMembership_orgId_teamId_fkey" FOREIGN KEY ("orgId", "teamId") REFERENCES "Team"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMembership" ADD CONSTRAINT "TeamMembership_orgId_personId_fkey" FOREIGN KEY ("orgId", "personId") REFERENCES "Person"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Repository" ADD CONSTRAINT "Repository_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Repository" ADD CONSTRAINT "Repository_orgId_defaultTeamId_fkey" FOREIGN KEY ("orgId", "defaultTeamId") REFERENCES "Team"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_orgId_repositoryId_fkey" FOREIGN KEY ("orgId", "repositoryId") REFERENCES "Repository"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_orgId_authorId_fkey" FOREIGN KEY ("orgId", "authorId") REFERENCES "Person"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commit" ADD CONSTRAINT "Commit_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commit" ADD CONSTRAINT "Commit_orgId_repositoryId_fkey" FOREIGN KEY ("orgId", "repositoryId") REFERENCES "Repository"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commit" ADD CONSTRAINT "Commit_orgId_authorId_fkey" FOREIGN KEY ("orgId", "authorId") REFERENCES "Person"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequestCommit" ADD CONSTRAINT "PullRequestCommit_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequestCommit" ADD CONSTRAINT "PullRequestCommit_orgId_pullRequestId_fkey" FOREIGN KEY ("orgId", "pullRequestId") REFERENCES "PullRequest"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequestCommit" ADD CONSTRAINT "PullRequestCommit_orgId_commitId_fkey" FOREIGN KEY ("orgId", "commitId") REFERENCES "Commit"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_orgId_pullRequestId_fkey" FOREIGN KEY ("orgId", "pullRequestId") REFERENCES "PullRequest"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_orgId_reviewerId_fkey" FOREIGN KEY ("orgId", "reviewerId") REFERENCES "Person"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewComment" ADD CONSTRAINT "ReviewComment_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewComment" ADD CONSTRAINT "ReviewComment_orgId_pullRequestId_fkey" FOREIGN KEY ("orgId", "pullRequestId") REFERENCES "PullRequest"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewComment" ADD CONSTRAINT "ReviewComment_orgId_reviewId_fkey" FOREIGN KEY ("orgId", "reviewId") REFERENCES "Review"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewComment" ADD CONSTRAINT "ReviewComment_orgId_authorId_fkey" FOREIGN KEY ("orgId", "authorId") REFERENCES "Person"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CiRun" ADD CONSTRAINT "CiRun_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CiRun" ADD CONSTRAINT "CiRun_orgId_repositoryId_fkey" FOREIGN KEY ("orgId", "repositoryId") REFERENCES "Repository"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CiRun" ADD CONSTRAINT "CiRun_orgId_pullRequestId_fkey" FOREIGN KEY ("orgId", "pullRequestId") REFERENCES "PullRequest"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestResultSummary" ADD CONSTRAINT "TestResultSummary_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestResultSummary" ADD CONSTRAINT "TestResultSummary_orgId_ciRunId_fkey" FOREIGN KEY ("orgId", "ciRunId") REFERENCES "CiRun"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_orgId_repositoryId_fkey" FOREIGN KEY ("orgId", "repositoryId") REFERENCES "Repository"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_orgId_assigneeId_fkey" FOREIGN KEY ("orgId", "assigneeId") REFERENCES "Person"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketPullRequestLink" ADD CONSTRAINT "TicketPullRequestLink_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketPullRequestLink" ADD CONSTRAINT "TicketPullRequestLink_orgId_ticketId_fkey" FOREIGN KEY ("orgId", "ticketId") REFERENCES "Ticket"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketPullRequestLink" ADD CONSTRAINT "TicketPullRequestLink_orgId_pullRequestId_fkey" FOREIGN KEY ("orgId", "pullRequestId") REFERENCES "PullRequest"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiUsageDaily" ADD CONSTRAINT "AiUsageDaily_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiUsageDaily" ADD CONSTRAINT "AiUsageDaily_orgId_personId_fkey" FOREIGN KEY ("orgId", "personId") REFERENCES "Person"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiAttributionRule" ADD CONSTRAINT "AiAttributionRule_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_orgId_teamId_fkey" FOREIGN KEY ("orgId", "teamId") REFERENCES "Team"("orgId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WeeklyReview" ADD CONSTRAINT "WeeklyReview_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WeeklyReview" ADD CONSTRAINT "WeeklyReview_orgId_teamId_fkey" FOREIGN KEY ("orgId", "teamId") REFERENCES "Team"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_orgId_teamId_fkey" FOREIGN KEY ("orgId", "teamId") REFERENCES "Team"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RawEvent" ADD CONSTRAINT "RawEvent_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WeeklyTeamRollup" ADD CONSTRAINT "WeeklyTeamRollup_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WeeklyTeamRollup" ADD CONSTRAINT "WeeklyTeamRollup_orgId_teamId_fkey" FOREIGN KEY ("orgId", "teamId") REFERENCES "Team"("orgId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
