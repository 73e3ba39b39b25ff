-- Rollup dirty marks for figures that count a row in another row's week (docs/metrics.md: first-run
-- pass rate, rework, reverts within 14 days). Written by hand, beside the tl_dirty triggers of
-- 20261127103124_add_weekly_rollups, which stay as they are: these are extra triggers.

-- The merge instants of the pull requests of `repo` whose merge commit, or one of whose commits,
-- `message` reverts (git's "This reverts commit <sha>."; lib/metrics/reverts.ts has the same pattern).
CREATE FUNCTION tl_reverted_merges(org text, repo text, message text) RETURNS timestamptz[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(x), '{}') FROM (
    SELECT p."mergedAt" AS x FROM regexp_matches(message, 'This reverts commit ([0-9a-f]{40,64})', 'g') AS g
      JOIN "PullRequest" p ON p."orgId" = org AND p."repositoryId" = repo AND p."mergeCommitSha" = g[1]
    UNION ALL
    SELECT p."mergedAt" FROM regexp_matches(message, 'This reverts commit ([0-9a-f]{40,64})', 'g') AS g
      JOIN "Commit" k ON k."orgId" = org AND k."repositoryId" = repo AND k.sha = g[1]
      JOIN "PullRequestCommit" pc ON pc."orgId" = k."orgId" AND pc."commitId" = k.id
      JOIN "PullRequest" p ON p."orgId" = pc."orgId" AND p.id = pc."pullRequestId") AS n
$$;

-- The merge instants of the pull requests a commit belongs to (rework counts it in their merge week).
CREATE FUNCTION tl_merges_of_commit(org text, commit_id text) RETURNS timestamptz[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(p."mergedAt"), '{}') FROM "PullRequestCommit" pc
    JOIN "PullRequest" p ON p."orgId" = pc."orgId" AND p.id = pc."pullRequestId"
    WHERE pc."orgId" = org AND pc."commitId" = commit_id
$$;

-- A commit marks the merge days of its pull requests and, when it is a revert, of the reverted ones.
CREATE FUNCTION tl_dirty_commit_relations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  FOREACH c IN ARRAY (CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW] WHEN 'DELETE' THEN ARRAY[OLD] ELSE ARRAY[OLD, NEW] END) LOOP
    PERFORM tl_mark_days(c."orgId", tl_merges_of_commit(c."orgId", c.id));
    IF c.message LIKE '%This reverts commit %' THEN
      PERFORM tl_mark_days(c."orgId", tl_reverted_merges(c."orgId", c."repositoryId", c.message));
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty_relations AFTER INSERT OR UPDATE OR DELETE ON "Commit" FOR EACH ROW EXECUTE FUNCTION tl_dirty_commit_relations();

-- Linking a commit to a pull request (possibly after its merge) changes the PR's rework and reverts.
CREATE FUNCTION tl_dirty_pull_request_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE l record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  l := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  PERFORM tl_mark_days(l."orgId", ARRAY(SELECT p."mergedAt" FROM "PullRequest" p WHERE p."orgId" = l."orgId" AND p.id = l."pullRequestId"));
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty_pr_commit AFTER INSERT OR DELETE ON "PullRequestCommit" FOR EACH ROW EXECUTE FUNCTION tl_dirty_pull_request_commit();

-- A pull request titled `Revert "<title>"` (GitHub's revert button) marks the merge days of the
-- pull requests of its repository titled <title>; a new author moves its CI heads to another team.
CREATE FUNCTION tl_dirty_pull_request_relations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE p record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  FOREACH p IN ARRAY (CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW] WHEN 'DELETE' THEN ARRAY[OLD] ELSE ARRAY[OLD, NEW] END) LOOP
    IF p.title LIKE 'Revert "%"' THEN
      PERFORM tl_mark_days(p."orgId", ARRAY(SELECT o."mergedAt" FROM "PullRequest" o
        WHERE o."orgId" = p."orgId" AND o."repositoryId" = p."repositoryId" AND 'Revert "' || o.title || '"' = p.title));
    END IF;
  END LOOP;
  IF TG_OP = 'UPDATE' AND OLD."authorId" IS DISTINCT FROM NEW."authorId" THEN
    PERFORM tl_mark_days(NEW."orgId", ARRAY(SELECT coalesce(r."startedAt", r."completedAt") FROM "CiRun" r WHERE r."orgId" = NEW."orgId" AND r."pullRequestId" = NEW.id));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty_relations AFTER INSERT OR UPDATE OR DELETE ON "PullRequest" FOR EACH ROW EXECUTE FUNCTION tl_dirty_pull_request_relations();

-- A head commit's first-run verdict is in the week of its earliest run: a run arriving (or
-- finishing) marks the days of every run on its sha, so the week it joins or leaves is recomputed.
CREATE FUNCTION tl_dirty_ci_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  FOREACH r IN ARRAY (CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW] WHEN 'DELETE' THEN ARRAY[OLD] ELSE ARRAY[OLD, NEW] END) LOOP
    PERFORM tl_mark_days(r."orgId", ARRAY(SELECT coalesce(s."startedAt", s."completedAt") FROM "CiRun" s
      WHERE s."orgId" = r."orgId" AND s."repositoryId" = r."repositoryId" AND s."headSha" = r."headSha"));
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty_head AFTER INSERT OR UPDATE OR DELETE ON "CiRun" FOR EACH ROW EXECUTE FUNCTION tl_dirty_ci_head();
