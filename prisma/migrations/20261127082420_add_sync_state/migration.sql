-- CreateTable
CREATE TABLE "SyncState" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "etag" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SyncState_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SyncState_orgId_kind_key_key" ON "SyncState"("orgId", "kind", "key");

-- AddForeignKey
ALTER TABLE "SyncState" ADD CONSTRAINT "SyncState_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
