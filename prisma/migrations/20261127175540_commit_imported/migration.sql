-- Commits written by `throughline import git` come from no raw event: a full replay keeps them.
-- AlterTable
ALTER TABLE "Commit" ADD COLUMN     "imported" BOOLEAN NOT NULL DEFAULT false;
