-- Whether weak AI evidence counts changes which pull requests are AI in every week: rebuild whole.
DROP TRIGGER tl_stale ON "Organization";
CREATE TRIGGER tl_stale AFTER UPDATE OF "timeZone", "cycleTimeStart", "countWeakAiSignals" ON "Organization" FOR EACH ROW
  WHEN (OLD."timeZone" IS DISTINCT FROM NEW."timeZone" OR OLD."cycleTimeStart" IS DISTINCT FROM NEW."cycleTimeStart"
        OR OLD."countWeakAiSignals" IS DISTINCT FROM NEW."countWeakAiSignals")
  EXECUTE FUNCTION tl_rollups_stale();
