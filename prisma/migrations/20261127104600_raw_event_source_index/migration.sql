-- CreateIndex
CREATE INDEX "RawEvent_orgId_source_receivedAt_idx" ON "RawEvent"("orgId", "source", "receivedAt");
