-- AlterEnum
ALTER TYPE "EventSource" ADD VALUE 'ai_usage';

-- AlterTable
ALTER TABLE "AiUsageDaily" ADD COLUMN     "acceptances" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "activeSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "commits" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "linesAdded" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "linesRemoved" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "pullRequests" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requests" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sourceEventId" TEXT,
ADD COLUMN     "suggestions" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "AiUsageSample" (
    "orgId" TEXT NOT NULL,
    "rawEventId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "tool" "AiTool" NOT NULL,
    "identityKey" TEXT NOT NULL,
    "model" TEXT NOT NULL DEFAULT '',
    "tokensIn" BIGINT NOT NULL DEFAULT 0,
    "tokensOut" BIGINT NOT NULL DEFAULT 0,
    "tokensCacheRead" BIGINT NOT NULL DEFAULT 0,
    "tokensCacheWrite" BIGINT NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(14,6) NOT NULL DEFAULT 0,
    "linesAdded" INTEGER NOT NULL DEFAULT 0,
    "linesRemoved" INTEGER NOT NULL DEFAULT 0,
    "commits" INTEGER NOT NULL DEFAULT 0,
    "pullRequests" INTEGER NOT NULL DEFAULT 0,
    "sessions" INTEGER NOT NULL DEFAULT 0,
    "activeSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "AiUsageSample_pkey" PRIMARY KEY ("orgId","rawEventId","day","tool","identityKey","model")
);

-- CreateTable
CREATE TABLE "AiToolDailyTotal" (
    "orgId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "tool" "AiTool" NOT NULL,
    "scope" TEXT NOT NULL,
    "activeUsers" INTEGER NOT NULL DEFAULT 0,
    "engagedUsers" INTEGER NOT NULL DEFAULT 0,
    "suggestions" INTEGER NOT NULL DEFAULT 0,
    "acceptances" INTEGER NOT NULL DEFAULT 0,
    "linesSuggested" INTEGER NOT NULL DEFAULT 0,
    "linesAccepted" INTEGER NOT NULL DEFAULT 0,
    "chatTurns" INTEGER NOT NULL DEFAULT 0,
    "prSummaries" INTEGER NOT NULL DEFAULT 0,
    "sourceEventId" TEXT,

    CONSTRAINT "AiToolDailyTotal_pkey" PRIMARY KEY ("orgId","day","tool","scope")
);

-- CreateTable
CREATE TABLE "SourceCredential" (
    "orgId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "source" "EventSource" NOT NULL,
    "target" TEXT NOT NULL,
    "tokenEnc" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastFetchAt" TIMESTAMPTZ(3),
    "lastError" TEXT,

    CONSTRAINT "SourceCredential_pkey" PRIMARY KEY ("orgId","id")
);

-- CreateIndex
CREATE INDEX "AiUsageSample_orgId_day_tool_identityKey_model_idx" ON "AiUsageSample"("orgId", "day", "tool", "identityKey", "model");

-- CreateIndex
CREATE UNIQUE INDEX "SourceCredential_orgId_source_target_key" ON "SourceCredential"("orgId", "source", "target");

-- CreateIndex
CREATE INDEX "AiUsageDaily_orgId_day_idx" ON "AiUsageDaily"("orgId", "day");

-- AddForeignKey
ALTER TABLE "AiUsageSample" ADD CONSTRAINT "AiUsageSample_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AiToolDailyTotal" ADD CONSTRAINT "AiToolDailyTotal_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceCredential" ADD CONSTRAINT "SourceCredential_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
