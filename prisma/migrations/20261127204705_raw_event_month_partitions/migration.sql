-- The raw log partitioned by month of "receivedAt" (hand-written: Prisma cannot declare
-- partitions; prisma/schema.prisma describes the parent table). Retention drops a month's
-- partition whole (lib/ingest/raw-retention.ts), and each month has its own TOAST table.

-- Redeliveries: a unique index on a partitioned table must include the partition key, so the
-- delivery ids move to their own table, kept by a trigger on insert (below).
CREATE TABLE "RawEventDelivery" (
    "orgId" TEXT NOT NULL,
    "source" "EventSource" NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RawEventDelivery_pkey" PRIMARY KEY ("orgId","source","deliveryId")
);
ALTER TABLE "RawEventDelivery" ADD CONSTRAINT "RawEventDelivery_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
INSERT INTO "RawEventDelivery" ("orgId", "source", "deliveryId", "eventId", "receivedAt")
SELECT "orgId", "source", "deliveryId", "id", "receivedAt" FROM "RawEvent";

ALTER TABLE "Organization" ADD COLUMN "rawPrunedBefore" TIMESTAMPTZ(3);

-- The old table steps aside under other names; its rows move below.
ALTER TABLE "RawEvent" RENAME TO "RawEvent_unpartitioned";
ALTER TABLE "RawEvent_unpartitioned" RENAME CONSTRAINT "RawEvent_pkey" TO "RawEvent_unpartitioned_pkey";
ALTER TABLE "RawEvent_unpartitioned" RENAME CONSTRAINT "RawEvent_orgId_fkey" TO "RawEvent_unpartitioned_orgId_fkey";
ALTER INDEX "RawEvent_status_nextAttemptAt_idx" RENAME TO "RawEvent_unpartitioned_status_idx";
ALTER INDEX "RawEvent_orgId_source_receivedAt_idx" RENAME TO "RawEvent_unpartitioned_source_idx";
ALTER INDEX "RawEvent_orgId_source_deliveryId_key" RENAME TO "RawEvent_unpartitioned_delivery_key";

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

    CONSTRAINT "RawEvent_pkey" PRIMARY KEY ("orgId","id","receivedAt")
) PARTITION BY RANGE ("receivedAt");
CREATE INDEX "RawEvent_status_nextAttemptAt_idx" ON "RawEvent"("status", "nextAttemptAt");
CREATE INDEX "RawEvent_orgId_source_receivedAt_idx" ON "RawEvent"("orgId", "source", "receivedAt");
ALTER TABLE "RawEvent" ADD CONSTRAINT "RawEvent_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Catches a row whose month has no partition yet, so an insert never fails for want of one.
CREATE TABLE "RawEvent_default" PARTITION OF "RawEvent" DEFAULT;

-- The partition of the month (UTC) holding `at`, created when missing, with the rows of that
-- month the default partition caught moved into it first. Serialised by an advisory lock, so
-- workers ensuring the same month at once do not collide. Returns the partition's name.
CREATE FUNCTION tl_raw_event_month_partition(at timestamptz) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('month', at, 'UTC');
  hi timestamptz := lo + interval '1 month';
  part text := 'RawEvent_p' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('tl_raw_event_month_partition'));
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN part;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE "RawEvent" INCLUDING DEFAULTS)', part);
  EXECUTE format('WITH moved AS (DELETE FROM "RawEvent_default" WHERE "receivedAt" >= %L AND "receivedAt" < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', lo, hi, part);
  EXECUTE format('ALTER TABLE "RawEvent" ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  RETURN part;
END $$;

SELECT tl_raw_event_month_partition(m)
FROM generate_series(
  date_trunc('month', LEAST(now(), (SELECT min("receivedAt") FROM "RawEvent_unpartitioned")), 'UTC'),
  now() + interval '2 months',
  interval '1 month') AS m;

INSERT INTO "RawEvent" ("orgId", "id", "source", "deliveryId", "eventType", "headers", "payload", "receivedAt", "status", "attempts", "nextAttemptAt", "processedAt", "error")
SELECT "orgId", "id", "source", "deliveryId", "eventType", "headers", "payload", "receivedAt", "status", "attempts", "nextAttemptAt", "processedAt", "error"
FROM "RawEvent_unpartitioned";
DROP TABLE "RawEvent_unpartitioned";

-- Every insert registers its delivery id; a redelivery (the id already there) is skipped, as
-- the unique index used to: the statement succeeds and stores nothing. Deleting a raw event
-- (replay's marker rows) leaves its delivery id; callers that store it again delete it first.
CREATE FUNCTION tl_raw_event_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RawEventDelivery" ("orgId", "source", "deliveryId", "eventId", "receivedAt")
  VALUES (NEW."orgId", NEW."source", NEW."deliveryId", NEW."id", NEW."receivedAt")
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tl_raw_event_delivery BEFORE INSERT ON "RawEvent" FOR EACH ROW EXECUTE FUNCTION tl_raw_event_delivery();
