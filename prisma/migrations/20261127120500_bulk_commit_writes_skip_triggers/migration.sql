-- A bulk commit write (git import) defers rollup marks and marks the batch's days once. Checked in
-- the trigger's WHEN, a deferred write no longer queues two trigger calls per commit that would
-- only return: the check costs nothing per row, the calls cost a git import about half its time.
DROP TRIGGER tl_dirty ON "Commit";
CREATE TRIGGER tl_dirty AFTER INSERT OR UPDATE OR DELETE ON "Commit" FOR EACH ROW
  WHEN (NOT tl_rollups_deferred()) EXECUTE FUNCTION tl_dirty_commit();
DROP TRIGGER tl_dirty_relations ON "Commit";
CREATE TRIGGER tl_dirty_relations AFTER INSERT OR UPDATE OR DELETE ON "Commit" FOR EACH ROW
  WHEN (NOT tl_rollups_deferred()) EXECUTE FUNCTION tl_dirty_commit_relations();
