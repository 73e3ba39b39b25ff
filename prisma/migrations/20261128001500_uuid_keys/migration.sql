-- Keys as native uuid instead of text: ids and the columns that reference them (every orgId, personId, …)
-- take 16 bytes instead of 37 in each row and in every index entry that holds them (docs/scaling.md,
-- "Storage per event"). Hand-written: Prisma's generated diff drops and re-adds each column, losing its
-- values. Here each column changes type in place (the values are Prisma's uuid(7) strings), so rows,
-- indexes and month partitions are kept; the foreign keys, the two triggers that name a changed column,
-- and the rollup functions that take ids as text are dropped first and made again for uuid.


-- DropForeignKey
ALTER TABLE "Account" DROP CONSTRAINT "Account_userId_fkey";

-- DropForeignKey
ALTER TABLE "Session" DROP CONSTRAINT "Session_userId_fkey";

-- DropForeignKey
ALTER TABLE "Session" DROP CONSTRAINT "Session_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Membership" DROP CONSTRAINT "Membership_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Membership" DROP CONSTRAINT "Membership_userId_fkey";

-- DropForeignKey
ALTER TABLE "SsoConnection" DROP CONSTRAINT "SsoConnection_orgId_fkey";

-- DropForeignKey
ALTER TABLE "IngestToken" DROP CONSTRAINT "IngestToken_orgId_fkey";

-- DropForeignKey
ALTER TABLE "WebhookSecret" DROP CONSTRAINT "WebhookSecret_orgId_fkey";

-- DropForeignKey
ALTER TABLE "AuditLogEntry" DROP CONSTRAINT "AuditLogEntry_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Team" DROP CONSTRAINT "Team_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Person" DROP CONSTRAINT "Person_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Identity" DROP CONSTRAINT "Identity_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Identity" DROP CONSTRAINT "Identity_orgId_personId_fkey";

-- DropForeignKey
ALTER TABLE "TeamMembership" DROP CONSTRAINT "TeamMembership_orgId_fkey";

-- DropForeignKey
ALTER TABLE "TeamMembership" DROP CONSTRAINT "TeamMembership_orgId_teamId_fkey";

-- DropForeignKey
ALTER TABLE "TeamMembership" DROP CONSTRAINT "TeamMembership_orgId_personId_fkey";

-- DropForeignKey
ALTER TABLE "Repository" DROP CONSTRAINT "Repository_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Repository" DROP CONSTRAINT "Repository_orgId_defaultTeamId_fkey";

-- DropForeignKey
ALTER TABLE "PullRequest" DROP CONSTRAINT "PullRequest_orgId_fkey";

-- DropForeignKey
ALTER TABLE "PullRequest" DROP CONSTRAINT "PullRequest_orgId_repositoryId_fkey";

-- DropForeignKey
ALTER TABLE "PullRequest" DROP CONSTRAINT "PullRequest_orgId_authorId_fkey";

-- DropForeignKey
ALTER TABLE "Commit" DROP CONSTRAINT "Commit_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Commit" DROP CONSTRAINT "Commit_orgId_repositoryId_fkey";

-- DropForeignKey
ALTER TABLE "Commit" DROP CONSTRAINT "Commit_orgId_authorId_fkey";

-- DropForeignKey
ALTER TABLE "PullRequestCommit" DROP CONSTRAINT "PullRequestCommit_orgId_fkey";

-- DropForeignKey
ALTER TABLE "PullRequestCommit" DROP CONSTRAINT "PullRequestCommit_orgId_pullRequestId_fkey";

-- DropForeignKey
ALTER TABLE "PullRequestCommit" DROP CONSTRAINT "PullRequestCommit_orgId_commitId_fkey";

-- DropForeignKey
ALTER TABLE "Review" DROP CONSTRAINT "Review_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Review" DROP CONSTRAINT "Review_orgId_pullRequestId_fkey";

-- DropForeignKey
ALTER TABLE "Review" DROP CONSTRAINT "Review_orgId_reviewerId_fkey";

-- DropForeignKey
ALTER TABLE "ReviewComment" DROP CONSTRAINT "ReviewComment_orgId_fkey";

-- DropForeignKey
ALTER TABLE "ReviewComment" DROP CONSTRAINT "ReviewComment_orgId_pullRequestId_fkey";

-- DropForeignKey
ALTER TABLE "ReviewComment" DROP CONSTRAINT "ReviewComment_orgId_reviewId_fkey";

-- DropForeignKey
ALTER TABLE "ReviewComment" DROP CONSTRAINT "ReviewComment_orgId_authorId_fkey";

-- DropForeignKey
ALTER TABLE "CiRun" DROP CONSTRAINT "CiRun_orgId_fkey";

-- DropForeignKey
ALTER TABLE "CiRun" DROP CONSTRAINT "CiRun_orgId_repositoryId_fkey";

-- DropForeignKey
ALTER TABLE "CiRun" DROP CONSTRAINT "CiRun_orgId_pullRequestId_fkey";

-- DropForeignKey
ALTER TABLE "TestResultSummary" DROP CONSTRAINT "TestResultSummary_orgId_fkey";

-- DropForeignKey
ALTER TABLE "TestResultSummary" DROP CONSTRAINT "TestResultSummary_orgId_ciRunId_fkey";

-- DropForeignKey
ALTER TABLE "Deployment" DROP CONSTRAINT "Deployment_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Deployment" DROP CONSTRAINT "Deployment_orgId_repositoryId_fkey";

-- DropForeignKey
ALTER TABLE "Ticket" DROP CONSTRAINT "Ticket_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Ticket" DROP CONSTRAINT "Ticket_orgId_assigneeId_fkey";

-- DropForeignKey
ALTER TABLE "TicketPullRequestLink" DROP CONSTRAINT "TicketPullRequestLink_orgId_fkey";

-- DropForeignKey
ALTER TABLE "TicketPullRequestLink" DROP CONSTRAINT "TicketPullRequestLink_orgId_ticketId_fkey";

-- DropForeignKey
ALTER TABLE "TicketPullRequestLink" DROP CONSTRAINT "TicketPullRequestLink_orgId_pullRequestId_fkey";

-- DropForeignKey
ALTER TABLE "AiUsageDaily" DROP CONSTRAINT "AiUsageDaily_orgId_fkey";

-- DropForeignKey
ALTER TABLE "AiUsageDaily" DROP CONSTRAINT "AiUsageDaily_orgId_personId_fkey";

-- DropForeignKey
ALTER TABLE "AiUsageSample" DROP CONSTRAINT "AiUsageSample_orgId_fkey";

-- DropForeignKey
ALTER TABLE "AiToolDailyTotal" DROP CONSTRAINT "AiToolDailyTotal_orgId_fkey";

-- DropForeignKey
ALTER TABLE "SourceCredential" DROP CONSTRAINT "SourceCredential_orgId_fkey";

-- DropForeignKey
ALTER TABLE "AiAttributionRule" DROP CONSTRAINT "AiAttributionRule_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Annotation" DROP CONSTRAINT "Annotation_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Annotation" DROP CONSTRAINT "Annotation_orgId_teamId_fkey";

-- DropForeignKey
ALTER TABLE "WeeklyReview" DROP CONSTRAINT "WeeklyReview_orgId_fkey";

-- DropForeignKey
ALTER TABLE "WeeklyReview" DROP CONSTRAINT "WeeklyReview_orgId_teamId_fkey";

-- DropForeignKey
ALTER TABLE "ActionItem" DROP CONSTRAINT "ActionItem_orgId_fkey";

-- DropForeignKey
ALTER TABLE "ActionItem" DROP CONSTRAINT "ActionItem_orgId_teamId_fkey";

-- DropForeignKey
ALTER TABLE "RawEvent" DROP CONSTRAINT "RawEvent_orgId_fkey";

-- DropForeignKey
ALTER TABLE "RawEventDelivery" DROP CONSTRAINT "RawEventDelivery_orgId_fkey";

-- DropForeignKey
ALTER TABLE "SyncState" DROP CONSTRAINT "SyncState_orgId_fkey";

-- DropForeignKey
ALTER TABLE "WeeklyRollup" DROP CONSTRAINT "WeeklyRollup_orgId_fkey";

-- DropForeignKey
ALTER TABLE "RollupDirtyDay" DROP CONSTRAINT "RollupDirtyDay_orgId_fkey";

-- DropForeignKey
ALTER TABLE "RollupState" DROP CONSTRAINT "RollupState_orgId_fkey";

-- Triggers that name a changed column (a column a trigger depends on cannot change type).
DROP TRIGGER tl_stale ON "Repository";
DROP TRIGGER tl_dirty_deployments ON "PullRequest";

-- The rollup functions that take ids as text: made again below for uuid.
DROP FUNCTION tl_mark_days(text, timestamptz[]);
DROP FUNCTION tl_merges_of_commit(text, text);
DROP FUNCTION tl_merges_of_ticket(text, text);
DROP FUNCTION tl_reverted_merges(text, text, text);
DROP FUNCTION tl_ticket_neighbours_of_pr(text, text);

-- AlterTable
ALTER TABLE "Organization"
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "User"
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "Account"
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "userId" SET DATA TYPE UUID USING "userId"::uuid;

-- AlterTable
ALTER TABLE "Session"
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "userId" SET DATA TYPE UUID USING "userId"::uuid,
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid;

-- AlterTable
ALTER TABLE "Membership"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "userId" SET DATA TYPE UUID USING "userId"::uuid;

-- AlterTable
ALTER TABLE "SsoConnection"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "IngestToken"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "createdById" SET DATA TYPE UUID USING "createdById"::uuid;

-- AlterTable
ALTER TABLE "WebhookSecret"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "AuditLogEntry"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "actorUserId" SET DATA TYPE UUID USING "actorUserId"::uuid;

-- AlterTable
ALTER TABLE "Team"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "Person"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "Identity"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "personId" SET DATA TYPE UUID USING "personId"::uuid;

-- AlterTable
ALTER TABLE "TeamMembership"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "teamId" SET DATA TYPE UUID USING "teamId"::uuid,
  ALTER COLUMN "personId" SET DATA TYPE UUID USING "personId"::uuid;

-- AlterTable
ALTER TABLE "Repository"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "defaultTeamId" SET DATA TYPE UUID USING "defaultTeamId"::uuid;

-- AlterTable
ALTER TABLE "PullRequest"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "repositoryId" SET DATA TYPE UUID USING "repositoryId"::uuid,
  ALTER COLUMN "authorId" SET DATA TYPE UUID USING "authorId"::uuid;

-- AlterTable
ALTER TABLE "Commit"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "repositoryId" SET DATA TYPE UUID USING "repositoryId"::uuid,
  ALTER COLUMN "authorId" SET DATA TYPE UUID USING "authorId"::uuid;

-- AlterTable
ALTER TABLE "PullRequestCommit"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "pullRequestId" SET DATA TYPE UUID USING "pullRequestId"::uuid,
  ALTER COLUMN "commitId" SET DATA TYPE UUID USING "commitId"::uuid;

-- AlterTable
ALTER TABLE "Review"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "pullRequestId" SET DATA TYPE UUID USING "pullRequestId"::uuid,
  ALTER COLUMN "reviewerId" SET DATA TYPE UUID USING "reviewerId"::uuid;

-- AlterTable
ALTER TABLE "ReviewComment"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "pullRequestId" SET DATA TYPE UUID USING "pullRequestId"::uuid,
  ALTER COLUMN "reviewId" SET DATA TYPE UUID USING "reviewId"::uuid,
  ALTER COLUMN "authorId" SET DATA TYPE UUID USING "authorId"::uuid;

-- AlterTable
ALTER TABLE "CiRun"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "repositoryId" SET DATA TYPE UUID USING "repositoryId"::uuid,
  ALTER COLUMN "pullRequestId" SET DATA TYPE UUID USING "pullRequestId"::uuid;

-- AlterTable
ALTER TABLE "TestResultSummary"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "ciRunId" SET DATA TYPE UUID USING "ciRunId"::uuid;

-- AlterTable
ALTER TABLE "Deployment"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "repositoryId" SET DATA TYPE UUID USING "repositoryId"::uuid;

-- AlterTable
ALTER TABLE "Ticket"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "assigneeId" SET DATA TYPE UUID USING "assigneeId"::uuid;

-- AlterTable
ALTER TABLE "TicketPullRequestLink"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "ticketId" SET DATA TYPE UUID USING "ticketId"::uuid,
  ALTER COLUMN "pullRequestId" SET DATA TYPE UUID USING "pullRequestId"::uuid;

-- AlterTable
ALTER TABLE "AiUsageDaily"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "personId" SET DATA TYPE UUID USING "personId"::uuid,
  ALTER COLUMN "sourceEventId" SET DATA TYPE UUID USING "sourceEventId"::uuid;

-- AlterTable
ALTER TABLE "AiUsageSample"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid;

-- AlterTable
ALTER TABLE "AiToolDailyTotal"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "sourceEventId" SET DATA TYPE UUID USING "sourceEventId"::uuid;

-- AlterTable
ALTER TABLE "SourceCredential"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "AiAttributionRule"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "Annotation"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "teamId" SET DATA TYPE UUID USING "teamId"::uuid,
  ALTER COLUMN "createdById" SET DATA TYPE UUID USING "createdById"::uuid;

-- AlterTable
ALTER TABLE "WeeklyReview"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "teamId" SET DATA TYPE UUID USING "teamId"::uuid;

-- AlterTable
ALTER TABLE "ActionItem"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid,
  ALTER COLUMN "teamId" SET DATA TYPE UUID USING "teamId"::uuid,
  ALTER COLUMN "createdById" SET DATA TYPE UUID USING "createdById"::uuid;

-- AlterTable
ALTER TABLE "RawEvent"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "RawEventDelivery"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "eventId" SET DATA TYPE UUID USING "eventId"::uuid;

-- AlterTable
ALTER TABLE "SyncState"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid,
  ALTER COLUMN "id" SET DATA TYPE UUID USING "id"::uuid;

-- AlterTable
ALTER TABLE "WeeklyRollup"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid;

-- AlterTable
ALTER TABLE "RollupDirtyDay"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid;

-- AlterTable
ALTER TABLE "RollupState"
  ALTER COLUMN "orgId" SET DATA TYPE UUID USING "orgId"::uuid;

-- Rollup functions, as before with uuid ids.
CREATE FUNCTION tl_mark_days(org uuid, instants timestamp with time zone[])
 RETURNS void
 LANGUAGE sql
AS $$
  INSERT INTO "RollupDirtyDay" ("orgId", day)
  SELECT DISTINCT org, (i AT TIME ZONE 'UTC')::date FROM unnest(instants) AS i
  -- Rows removed with their organization mark nothing.
  WHERE i IS NOT NULL AND EXISTS (SELECT 1 FROM "Organization" o WHERE o.id = org)
  ON CONFLICT DO NOTHING
$$
;
CREATE FUNCTION tl_merges_of_commit(org uuid, commit_id uuid)
 RETURNS timestamp with time zone[]
 LANGUAGE sql
 STABLE
AS $$
  SELECT coalesce(array_agg(p."mergedAt"), '{}') FROM "PullRequestCommit" pc
    JOIN "PullRequest" p ON p."orgId" = pc."orgId" AND p.id = pc."pullRequestId"
    WHERE pc."orgId" = org AND pc."commitId" = commit_id
$$
;
CREATE FUNCTION tl_merges_of_ticket(org uuid, ticket uuid)
 RETURNS timestamp with time zone[]
 LANGUAGE sql
 STABLE
AS $$
  SELECT coalesce(array_agg(p."mergedAt"), '{}') FROM "TicketPullRequestLink" l
    JOIN "PullRequest" p ON p."orgId" = l."orgId" AND p.id = l."pullRequestId"
    WHERE l."orgId" = org AND l."ticketId" = ticket
$$
;
CREATE FUNCTION tl_reverted_merges(org uuid, repo uuid, message text)
 RETURNS timestamp with time zone[]
 LANGUAGE sql
 STABLE
AS $$
  SELECT coalesce(array_agg(x), '{}') FROM (
    SELECT p."mergedAt" AS x FROM regexp_matches(message, 'This reverts commit ([0-9a-f]{40,64})', 'g') AS g
      JOIN "PullRequest" p ON p."orgId" = org AND p."repositoryId" = repo AND p."mergeCommitSha" = g[1]
    UNION ALL
    SELECT p."mergedAt" FROM regexp_matches(message, 'This reverts commit ([0-9a-f]{40,64})', 'g') AS g
      JOIN "Commit" k ON k."orgId" = org AND k."repositoryId" = repo AND k.sha = g[1]
      JOIN "PullRequestCommit" pc ON pc."orgId" = k."orgId" AND pc."commitId" = k.id
      JOIN "PullRequest" p ON p."orgId" = pc."orgId" AND p.id = pc."pullRequestId") AS n
$$
;
CREATE OR REPLACE FUNCTION tl_rollups_stale()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
  -- The row's org: an organization's own id, any other row's orgId (NEW has only one of the two fields).
  DELETE FROM "RollupState" WHERE "orgId" = (CASE WHEN TG_TABLE_NAME = 'Organization' THEN to_jsonb(NEW) ->> 'id' ELSE to_jsonb(NEW) ->> 'orgId' END)::uuid;
  RETURN NULL;
END $$
;
CREATE FUNCTION tl_ticket_neighbours_of_pr(org uuid, pr uuid)
 RETURNS timestamp with time zone[]
 LANGUAGE sql
 STABLE
AS $$
  SELECT coalesce(array_agg(x), '{}') FROM (
    SELECT p."mergedAt" AS x FROM "TicketPullRequestLink" l
      JOIN "TicketPullRequestLink" l2 ON l2."orgId" = l."orgId" AND l2."ticketId" = l."ticketId"
      JOIN "PullRequest" p ON p."orgId" = l2."orgId" AND p.id = l2."pullRequestId"
      WHERE l."orgId" = org AND l."pullRequestId" = pr
    UNION ALL
    SELECT t."doneAt" FROM "TicketPullRequestLink" l JOIN "Ticket" t ON t."orgId" = l."orgId" AND t.id = l."ticketId"
      WHERE l."orgId" = org AND l."pullRequestId" = pr) AS n
$$
;

CREATE TRIGGER tl_stale AFTER UPDATE OF "defaultTeamId" ON "Repository" FOR EACH ROW
  WHEN (OLD."defaultTeamId" IS DISTINCT FROM NEW."defaultTeamId") EXECUTE FUNCTION tl_rollups_stale();
CREATE TRIGGER tl_dirty_deployments AFTER INSERT OR DELETE OR UPDATE OF "mergedAt", "mergeCommitSha", "authorId", "firstCommitAt", "createdAt" ON "PullRequest"
  FOR EACH ROW EXECUTE FUNCTION tl_dirty_pull_request_deployments();

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
ALTER TABLE "AiUsageSample" ADD CONSTRAINT "AiUsageSample_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiToolDailyTotal" ADD CONSTRAINT "AiToolDailyTotal_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceCredential" ADD CONSTRAINT "SourceCredential_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

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
ALTER TABLE "RawEventDelivery" ADD CONSTRAINT "RawEventDelivery_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncState" ADD CONSTRAINT "SyncState_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WeeklyRollup" ADD CONSTRAINT "WeeklyRollup_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollupDirtyDay" ADD CONSTRAINT "RollupDirtyDay_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollupState" ADD CONSTRAINT "RollupState_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

