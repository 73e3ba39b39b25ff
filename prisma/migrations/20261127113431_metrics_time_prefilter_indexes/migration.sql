-- CreateIndex
CREATE INDEX "PullRequest_orgId_createdAt_idx" ON "PullRequest"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "Review_orgId_submittedAt_idx" ON "Review"("orgId", "submittedAt");

-- CreateIndex
CREATE INDEX "CiRun_orgId_startedAt_idx" ON "CiRun"("orgId", "startedAt");

-- CreateIndex
CREATE INDEX "CiRun_orgId_completedAt_idx" ON "CiRun"("orgId", "completedAt");

-- CreateIndex
CREATE INDEX "Ticket_orgId_doneAt_idx" ON "Ticket"("orgId", "doneAt");
