import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { detectCommitSignals, isAiWritten } from '../../attribution/detect.ts';
import { listOrgRules } from '../../attribution/org-rules.ts';
import pg from 'pg';
import { db } from '../../db/client.ts';
import { copyRows } from '../../db/copy-rows.ts';
import { Prisma } from '../../db/generated/client.ts';
import { env } from '../../env.ts';
import { linkPullRequestCommits } from '../link-pull-request-commits.ts';
import { readGitLog, type GitCommit } from './read-git-log.ts';

const BATCH = 10_000;
// GitHub's squash merges end the subject with "(#123)"; its merge commits start "Merge pull request #123".
const SQUASH_SUBJECT = /\(#(\d+)\)\s*$/;
const MERGE_SUBJECT = /^Merge pull request #(\d+) from (\S+)/;

export interface ImportProgress {
  commits: number;
  pullRequests: number;
  warnings: number;
}

/** The pull request number a default-branch commit names, and the title to give an inferred one. */
export function pullRequestOf(commit: Pick<GitCommit, 'message' | 'parentCount'>): { number: number; title: string; headBranch: string | null } | null {
  const [subject = '', ...body] = commit.message.split('\n');
  const merge = subject.match(MERGE_SUBJECT);
  if (merge && commit.parentCount > 1) {
    const title = body.find((l) => l.trim() !== '')?.trim() ?? subject;
    return { number: Number(merge[1]), title, headBranch: merge[2]!.replace(/^[^/]+\//, '') };
  }
  const squash = subject.match(SQUASH_SUBJECT);
  return squash ? { number: Number(squash[1]), title: subject.replace(SQUASH_SUBJECT, '').trim(), headBranch: null } : null;
}

async function personIdsByEmail(orgId: string, commits: GitCommit[]): Promise<Map<string, string>> {
  const byEmail = new Map(commits.map((c) => [c.authorEmail.toLowerCase(), c.authorName]));
  const known = await db().identity.findMany({ where: { orgId, provider: 'git_email', externalId: { in: [...byEmail.keys()] } } });
  const ids = new Map(known.map((i) => [i.externalId, i.personId]));
  for (const [email, name] of byEmail) {
    if (ids.has(email)) continue;
    const person = await db().person.create({ data: { orgId, displayName: name, email, isBot: /\[bot\]/.test(name) || /\[bot\]@/.test(email) } });
    await db().identity.create({ data: { orgId, personId: person.id, provider: 'git_email', externalId: email, email } });
    ids.set(email, person.id);
  }
  return ids;
}

export const COMMIT_COLUMNS = ['orgId', 'id', 'repositoryId', 'sha', 'authorId', 'authorEmail', 'authorName', 'authoredAt', 'committedAt', 'message',
  'additions', 'deletions', 'aiAdditions', 'isAi', 'aiEvidence', 'parentCount', 'onDefaultBranch', 'branches'];
const COLUMN_LIST = COMMIT_COLUMNS.map((c) => `"${c}"`).join(', ');
// Git's own facts win over what webhook pushes stored; branches accumulate.
const MERGE = `ON CONFLICT ("orgId", "repositoryId", sha) DO UPDATE SET
  "authoredAt" = EXCLUDED."authoredAt", "committedAt" = EXCLUDED."committedAt", message = EXCLUDED.message,
  additions = EXCLUDED.additions, deletions = EXCLUDED.deletions, "aiAdditions" = EXCLUDED."aiAdditions",
  "isAi" = EXCLUDED."isAi", "aiEvidence" = EXCLUDED."aiEvidence", "parentCount" = EXCLUDED."parentCount",
  "onDefaultBranch" = true, branches = ARRAY(SELECT DISTINCT unnest("Commit".branches || EXCLUDED.branches))`;

/**
 * Bulk upsert of a batch of commits: COPY into a temporary staging table, then one INSERT ... ON
 * CONFLICT merge. The embedded database cannot take COPY over its socket, so there the rows go
 * as one JSON parameter expanded by json_populate_recordset, merged the same way.
 */
export async function upsertCommits(copyClient: pg.Client | null, rows: Record<string, unknown>[]): Promise<void> {
  if (!copyClient) {
    await db().$executeRaw`
      INSERT INTO "Commit" (${Prisma.raw(COLUMN_LIST)})
      SELECT ${Prisma.raw(COLUMN_LIST)} FROM json_populate_recordset(NULL::"Commit", ${JSON.stringify(rows)}::json)
      ${Prisma.raw(MERGE)}`;
    return;
  }
  await copyClient.query('BEGIN');
  try {
    await copyClient.query('CREATE TEMP TABLE commit_stage (LIKE "Commit") ON COMMIT DROP');
    await copyRows(copyClient, 'commit_stage', COMMIT_COLUMNS, rows, new Set(['aiEvidence']));
    await copyClient.query(`INSERT INTO "Commit" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM commit_stage ${MERGE}`);
    await copyClient.query('COMMIT');
  } catch (error) {
    await copyClient.query('ROLLBACK');
    throw error;
  }
}

/** A connection for COPY, or null on the embedded database (PGlite), whose socket cannot take it. */
export async function openCopyClient(): Promise<pg.Client | null> {
  const [row] = await db().$queryRaw<{ version: string }[]>`SELECT version()`;
  if (!row || row.version.includes('PGlite')) return null;
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  await client.connect();
  return client;
}

/** The commits a merge brought in: reachable from its second parent, not from its first. */
function mergedBranchCommits(repoPath: string, commit: GitCommit): string[] {
  const [first, second] = commit.parents;
  if (!first || !second) return [];
  const out = execFileSync('git', ['-C', repoPath, 'rev-list', `${first}..${second}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\n').filter(Boolean);
}

/**
 * Links default-branch commits that name a pull request to it, creating merged ones not yet seen
 * (inferred). A merge commit's pull request also gets the commits the merge brought in, so AI
 * commits behind a merge count for that pull request.
 */
async function linkNamedPullRequests(orgId: string, repositoryId: string, repoPath: string, commits: GitCommit[]): Promise<number> {
  let linked = 0;
  for (const commit of commits) {
    const named = pullRequestOf(commit);
    if (!named) continue;
    await db().$transaction(async (tx) => {
      const key = { orgId_repositoryId_number: { orgId, repositoryId, number: named.number } };
      const stored = await tx.commit.findUniqueOrThrow({ where: { orgId_repositoryId_sha: { orgId, repositoryId, sha: commit.sha } } });
      const pr =
        (await tx.pullRequest.findUnique({ where: key })) ??
        (await tx.pullRequest.create({
          data: {
            orgId, repositoryId, number: named.number, title: named.title, state: 'merged', isInferred: true, authorId: stored.authorId,
            headBranch: named.headBranch, createdAt: commit.authoredAt, readyAt: commit.authoredAt, mergedAt: commit.committedAt,
            closedAt: commit.committedAt, mergeCommitSha: commit.sha,
          },
        }));
      const brought = await tx.commit.findMany({ where: { orgId, repositoryId, sha: { in: mergedBranchCommits(repoPath, commit) } }, select: { id: true } });
      const commitIds = [stored.id, ...brought.map((c) => c.id)];
      await tx.pullRequestCommit.createMany({ data: commitIds.map((commitId) => ({ orgId, pullRequestId: pr.id, commitId })), skipDuplicates: true });
      await linkPullRequestCommits(tx, orgId, pr.id);
    });
    linked++;
  }
  return linked;
}

/**
 * `throughline import git`: the history of a local clone's branch into a repository of the org,
 * streamed in batches (bounded memory), idempotent (a re-import adds only what is new), with AI
 * attribution from each commit's message and author.
 */
export async function importGitHistory(options: {
  orgId: string;
  path: string;
  owner: string;
  name: string;
  provider?: 'github' | 'gitlab' | 'git';
  branch: string;
  since?: Date;
  /** 'json' forces the path the embedded database takes (for tests and benchmarks). */
  bulk?: 'copy' | 'json';
  onProgress?: (p: ImportProgress) => void;
}): Promise<ImportProgress> {
  const { orgId, branch } = options;
  const provider = options.provider ?? 'github';
  const repo = await db().repository.upsert({
    where: { orgId_provider_owner_name: { orgId, provider, owner: options.owner, name: options.name } },
    create: { orgId, provider, owner: options.owner, name: options.name, defaultBranch: branch },
    update: {},
  });
  const rules = await listOrgRules(db(), orgId);
  const copyClient = options.bulk === 'json' ? null : await openCopyClient();
  const progress: ImportProgress = { commits: 0, pullRequests: 0, warnings: 0 };
  let batch: GitCommit[] = [];
  // Linked once every commit is stored: a merge is read before the branch commits it brought in.
  const naming: GitCommit[] = [];
  const flush = async () => {
    const people = await personIdsByEmail(orgId, batch);
    const rows = batch.map((c) => {
      const signals = detectCommitSignals({ message: c.message, authorName: c.authorName, authorEmail: c.authorEmail }, rules);
      const isAi = isAiWritten(signals);
      return {
        orgId, id: randomUUID(), repositoryId: repo.id, sha: c.sha, authorId: people.get(c.authorEmail.toLowerCase()) ?? null,
        authorEmail: c.authorEmail.toLowerCase(), authorName: c.authorName, authoredAt: c.authoredAt.toISOString(), committedAt: c.committedAt.toISOString(),
        message: c.message, additions: c.additions, deletions: c.deletions, aiAdditions: isAi ? c.additions : 0, isAi, aiEvidence: signals,
        parentCount: c.parentCount, onDefaultBranch: true, branches: [branch],
      };
    });
    await upsertCommits(copyClient, rows);
    naming.push(...batch.filter((c) => pullRequestOf(c)).map((c) => ({ ...c, message: c.message.slice(0, 2000) })));
    progress.commits += batch.length;
    batch = [];
    options.onProgress?.({ ...progress });
  };
  try {
    for await (const commit of readGitLog(options.path, branch, { since: options.since, onWarning: () => progress.warnings++ })) {
      batch.push(commit);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length) await flush();
  } finally {
    await copyClient?.end();
  }
  progress.pullRequests = await linkNamedPullRequests(orgId, repo.id, options.path, naming);
  options.onProgress?.({ ...progress });
  return progress;
}
