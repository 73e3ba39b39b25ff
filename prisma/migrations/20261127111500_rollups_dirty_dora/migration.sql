-- Rollup dirty marks for the DORA figures that count a row in another row's week (docs/metrics.md:
-- lead time for changes, change failure rate, deployments from releases). Written by hand, beside
-- the tl_dirty triggers of 20261127103124_add_weekly_rollups, which stay as they are: these are
-- extra triggers. lib/metrics/dora-sql.ts holds the definitions these follow.

-- An incident ticket changes the failure of the latest successful deployment before it: mark, for
-- every repository, the day of its latest successful deployment at or before the incident's creation.
CREATE FUNCTION tl_dirty_incident() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  FOREACH t IN ARRAY (CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW] WHEN 'DELETE' THEN ARRAY[OLD] ELSE ARRAY[OLD, NEW] END) LOOP
    IF lower(t.type) = 'incident' THEN
      PERFORM tl_mark_days(t."orgId", ARRAY(
        SELECT max(d."createdAt") FROM "Deployment" d
        WHERE d."orgId" = t."orgId" AND d.status = 'success' AND d."createdAt" <= t."createdAt"
        GROUP BY d."repositoryId"));
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty_incident AFTER INSERT OR UPDATE OR DELETE ON "Ticket" FOR EACH ROW EXECUTE FUNCTION tl_dirty_incident();

-- A pull request's merge (stored after its deployment, or changed) moves its lead time into the
-- week of the first deployment including it: mark the first successful deployments of its
-- repository at or after the merge (a bounded number: older ones include it or not by commit).
CREATE FUNCTION tl_dirty_pull_request_deployments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE p record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  FOREACH p IN ARRAY (CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW] WHEN 'DELETE' THEN ARRAY[OLD] ELSE ARRAY[OLD, NEW] END) LOOP
    IF p."mergedAt" IS NOT NULL THEN
      PERFORM tl_mark_days(p."orgId", ARRAY(
        SELECT d."createdAt" FROM "Deployment" d
        WHERE d."orgId" = p."orgId" AND d."repositoryId" = p."repositoryId" AND d.status = 'success' AND d."createdAt" >= p."mergedAt"
        ORDER BY d."createdAt" LIMIT 20));
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty_deployments AFTER INSERT OR DELETE OR UPDATE OF "mergedAt", "mergeCommitSha", "authorId", "firstCommitAt", "createdAt" ON "PullRequest"
  FOR EACH ROW EXECUTE FUNCTION tl_dirty_pull_request_deployments();

-- A repository's GitHub deployments to production decide whether its releases count: a deployment
-- (not a release) written there marks the days of the repository's successful releases.
CREATE FUNCTION tl_dirty_deployment_releases() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  IF tl_rollups_deferred() THEN RETURN NULL; END IF;
  d := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF NOT starts_with(d."externalId", 'release:') AND d.environment ~* '^prod(uction)?$' THEN
    PERFORM tl_mark_days(d."orgId", ARRAY(
      SELECT r."createdAt" FROM "Deployment" r
      WHERE r."orgId" = d."orgId" AND r."repositoryId" = d."repositoryId" AND r.status = 'success' AND starts_with(r."externalId", 'release:')));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tl_dirty_releases AFTER INSERT OR DELETE ON "Deployment" FOR EACH ROW EXECUTE FUNCTION tl_dirty_deployment_releases();
