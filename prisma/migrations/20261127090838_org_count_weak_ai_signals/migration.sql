-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "countWeakAiSignals" BOOLEAN NOT NULL DEFAULT false;
