-- DropForeignKey
ALTER TABLE "WeeklyTeamRollup" DROP CONSTRAINT "WeeklyTeamRollup_orgId_fkey";

-- DropForeignKey
ALTER TABLE "WeeklyTeamRollup" DROP CONSTRAINT "WeeklyTeamRollup_orgId_teamId_fkey";

-- DropTable
DROP TABLE "WeeklyTeamRollup";

-- CreateTable
CREATE TABLE "WeeklyRollup" (
    "orgId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "metricsVersion" INTEGER NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL,
    "figures" JSONB NOT NULL,

    CONSTRAINT "WeeklyRollup_pkey" PRIMARY KEY ("orgId","scope","weekStart")
);

-- CreateTable
CREATE TABLE "RollupDirtyDay" (
    "orgId" TEXT NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "RollupDirtyDay_pkey" PRIMARY KEY ("orgId","day")
);

-- CreateTable
CREATE TABLE "RollupState" (
    "orgId" TEXT NOT NULL,
    "metricsVersion" INTEGER NOT NULL,
    "builtAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RollupState_pkey" PRIMARY KEY ("orgId")
);

-- AddForeignKey
ALTER TABLE "WeeklyRollup" ADD CONSTRAINT "WeeklyRollup_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollupDirtyDay" ADD CONSTRAINT "RollupDirtyDay_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollupState" ADD CONSTRAINT "RollupState_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───────────── rollup dirty marks (written by hand: Prisma does not manage triggers) ─────────────
-- Every write to a table the metrics read marks the UTC days of the instants it moved (old and
-- new row), and the days of rows whose figures depend on it (a ticket's cycle ends at its last
-- linked PR's merge). lib/metrics/rollups.ts recomputes the weeks holding those days. A bulk
-- loader may SET LOCAL throughline.rollups_deferred = 'on' and rebuild the org's rollups after.

CREATE FUNCTION tl_rollups_deferred() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('throughline.rollups_deferred', true), '') = 'on'
$$;

CREATE FUNCTION tl_mark_days(org text, instants timestamptz[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "RollupDirtyDay" ("orgId", day)
  SELECT DISTINCT org, (i AT TIME ZONE 'UTC')::date FROM unnest(instants) AS i
  -- Rows removed with their organization mark nothing.
  WHERE i IS NOT NULL AND EXISTS (SELECT 1 FROM "Organization" o WHERE o.id = org)
  ON CONFLICT DO NOTHING
$$;

-- The merge instants of every pull request linked to any ticket `pr` is linked to, and those tickets' done instants.
CREATE FUNCTION tl_ticket_neighbours_of_pr(org text, pr text) RETURNS timestamptz[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(x), '{}') FROM (
    SELECT p."mergedAt" AS x FROM "TicketPullRequestLink" l
      JOIN "TicketPullRequestLink" l2 ON l2."orgId" = l."orgId" AND l2."ticketId" = l."ticketId"
      JOIN "PullRequest" p ON p."orgId" = l2."orgId" AND p.id = l2."pullRequestId"
      WHERE l."orgId" = org AND l."pullRequestId" = pr
    UNION ALL
    SELECT t."doneAt" FROM "TicketPullRequestLink" l JOIN "Ticket" t ON t."orgId" = l."orgId" AND t.id = l."ticketId"
      WHERE l."orgId" = org AND l."pullRequestId" = pr) AS n
$$;

-- The merge instants of the pull requests linked to `ticket`.
CREATE FUNCTION tl_merges_of_ticket(org text, ticket text) RETURNS timestamptz[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(p."mergedAt"), '{}') FROM "TicketPullRequestLink" l
    JOIN "PullRequest" p ON p."orgId" = l."orgId" AND p.id = l."pullRequestId"
    WHERE l."orgId" = org AND l."ticketId" = ticket
$$;

CREATE FUNCTION tl_dirty_pull_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM tl_mark_days(OLD."orgId", ARRAY[OLD."createdAt", OLD."mergedAt", OLD."closedAt"]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM tl_mark_days(NEW."orgId", ARRAY[NEW."createdAt", NEW."mergedAt", NEW."closedAt"]); END IF;
  IF TG_OP = 'UPDATE' AND (OLD."mergedAt" IS DISTINCT FROM NEW."mergedAt" OR OLD.state <> NEW.state OR OLD."authorId" IS DISTINCT FROM NEW."authorId") THEN
    PERFORM tl_mark_days(NEW."orgId", tl_ticket_neighbours_of_pr(NEW."orgId", NEW.id));
  END IF;
  -- CI runs are split by their pull request's AI attribution.
  IF TG_OP = 'UPDATE' AND (OLD."aiShare" IS DISTINCT FROM NEW."aiShare" OR OLD."aiEvidence" IS DISTINCT FROM NEW."aiEvidence") THEN
    PERFORM tl_mark_days(NEW."orgId", ARRAY(SELECT coalesce(r."startedAt", r."completedAt") FROM "CiRun" r WHERE r."orgId" = NEW."orgId" AND r."pullRequestId" = NEW.id));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "PullRequest" FOR EACH ROW EXECUTE FUNCTION tl_dirty_pull_request();

CREATE FUNCTION tl_dirty_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM tl_mark_days(OLD."orgId", ARRAY[OLD."createdAt", OLD."startedAt", OLD."doneAt"] || tl_merges_of_ticket(OLD."orgId", OLD.id)); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM tl_mark_days(NEW."orgId", ARRAY[NEW."createdAt", NEW."startedAt", NEW."doneAt"] || tl_merges_of_ticket(NEW."orgId", NEW.id)); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "Ticket" FOR EACH ROW EXECUTE FUNCTION tl_dirty_ticket();

CREATE FUNCTION tl_dirty_ticket_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE l record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  l := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  PERFORM tl_mark_days(l."orgId",
    tl_merges_of_ticket(l."orgId", l."ticketId")
    || ARRAY(SELECT p."mergedAt" FROM "PullRequest" p WHERE p."orgId" = l."orgId" AND p.id = l."pullRequestId")
    || ARRAY(SELECT t."doneAt" FROM "Ticket" t WHERE t."orgId" = l."orgId" AND t.id = l."ticketId"));
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty AFTER INSERT OR DELETE ON "TicketPullRequestLink" FOR EACH ROW EXECUTE FUNCTION tl_dirty_ticket_link();

CREATE FUNCTION tl_dirty_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM tl_mark_days(OLD."orgId", ARRAY[OLD."committedAt", OLD."authoredAt"]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM tl_mark_days(NEW."orgId", ARRAY[NEW."committedAt", NEW."authoredAt"]); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "Commit" FOR EACH ROW EXECUTE FUNCTION tl_dirty_commit();

CREATE FUNCTION tl_dirty_review() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN PERFORM tl_mark_days(OLD."orgId", ARRAY[OLD."submittedAt"]); END IF;
  r := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  PERFORM tl_mark_days(r."orgId", ARRAY[r."submittedAt"]
    || ARRAY(SELECT unnest(ARRAY[p."createdAt", p."mergedAt"]) FROM "PullRequest" p WHERE p."orgId" = r."orgId" AND p.id = r."pullRequestId"));
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "Review" FOR EACH ROW EXECUTE FUNCTION tl_dirty_review();

CREATE FUNCTION tl_dirty_ci_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM tl_mark_days(OLD."orgId", ARRAY[OLD."startedAt", OLD."completedAt"]
    || ARRAY(SELECT p."mergedAt" FROM "PullRequest" p WHERE p."orgId" = OLD."orgId" AND p.id = OLD."pullRequestId")); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM tl_mark_days(NEW."orgId", ARRAY[NEW."startedAt", NEW."completedAt"]
    || ARRAY(SELECT p."mergedAt" FROM "PullRequest" p WHERE p."orgId" = NEW."orgId" AND p.id = NEW."pullRequestId")); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "CiRun" FOR EACH ROW EXECUTE FUNCTION tl_dirty_ci_run();

-- A date or timestamptz column's value as an instant: a date is its UTC midnight, whatever the session's time zone.
CREATE FUNCTION tl_instant(v text) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN NULL WHEN length(v) = 10 THEN (v || 'T00:00:00Z')::timestamptz ELSE v::timestamptz END
$$;

CREATE FUNCTION tl_dirty_dated() RETURNS trigger LANGUAGE plpgsql AS $$
-- Tables with one instant column, named by the trigger's argument ("day" of AI usage, "createdAt" of deployments).
DECLARE col text := TG_ARGV[0];
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM tl_mark_days(OLD."orgId", ARRAY[tl_instant(to_jsonb(OLD) ->> col)]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM tl_mark_days(NEW."orgId", ARRAY[tl_instant(to_jsonb(NEW) ->> col)]); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "AiUsageDaily" FOR EACH ROW EXECUTE FUNCTION tl_dirty_dated('day');
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "Deployment" FOR EACH ROW EXECUTE FUNCTION tl_dirty_dated('createdAt');

-- A membership moves every week it spans from one team to another.
CREATE FUNCTION tl_dirty_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM tl_mark_days(OLD."orgId", ARRAY(SELECT generate_series(OLD."validFrom", coalesce(OLD."validTo", now()), interval '1 day'))); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM tl_mark_days(NEW."orgId", ARRAY(SELECT generate_series(NEW."validFrom", coalesce(NEW."validTo", now()), interval '1 day'))); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "TeamMembership" FOR EACH ROW EXECUTE FUNCTION tl_dirty_membership();

-- Settings that change every week of an org: its rollups are rebuilt whole.
CREATE FUNCTION tl_rollups_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The row's org: an organization's own id, any other row's orgId (NEW has only one of the two fields).
  DELETE FROM "RollupState" WHERE "orgId" = (CASE WHEN TG_TABLE_NAME = 'Organization' THEN to_jsonb(NEW) ->> 'id' ELSE to_jsonb(NEW) ->> 'orgId' END);
  RETURN NULL;
END $$;
CREATE TRIGGER tl_stale AFTER UPDATE OF "timeZone", "cycleTimeStart" ON "Organization" FOR EACH ROW
  WHEN (OLD."timeZone" IS DISTINCT FROM NEW."timeZone" OR OLD."cycleTimeStart" IS DISTINCT FROM NEW."cycleTimeStart") EXECUTE FUNCTION tl_rollups_stale();
CREATE TRIGGER tl_stale AFTER UPDATE OF "isBot" ON "Person" FOR EACH ROW
  WHEN (OLD."isBot" IS DISTINCT FROM NEW."isBot") EXECUTE FUNCTION tl_rollups_stale();
CREATE TRIGGER tl_stale AFTER UPDATE OF "defaultTeamId" ON "Repository" FOR EACH ROW
  WHEN (OLD."defaultTeamId" IS DISTINCT FROM NEW."defaultTeamId") EXECUTE FUNCTION tl_rollups_stale();
