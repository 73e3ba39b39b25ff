import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { detectCommitSignals, isAiWritten, type AiSignal } from '../../attribution/detect.ts';
import { parseGitAiNote, type GitAiNote } from '../../attribution/git-ai-note.ts';
import { loadAttributionPolicy, type AttributionPolicy } from '../../attribution/org-rules.ts';
import pg from 'pg';
import { db } from '../../db/client.ts';
import { copyRows } from '../../db/copy-rows.ts';
import { Prisma } from '../../db/generated/client.ts';
import { env } from '../../env.ts';
import { refreshPullRequestTicketLinks } from '../../tickets/link-tickets.ts';
import { linkPullRequestCommits } from '../link-pull-request-commits.ts';
import { readGitLogChunks, type GitCommit } from './read-git-log.ts';

const BATCH = 5_000;
// GitHub's squash merges end the subject with "(#123)"; its merge commits start "Merge pull request #123".
const SQUASH_SUBJECT = /\(#(\d+)\)\s*$/;
const MERGE_SUBJECT = /^Merge pull request #(\d+) from (\S+)/;

const WARNINGS_KEPT = 20;

export interface ImportProgress {
  commits: number;
  pullRequests: number;
  warnings: number;
  /** The first 20 warnings (files or commits git could not read), for the CLI to print. */
  warningMessages: string[];
}

/** The pull request number a default-branch commit names, and the title to give an inferred one. */
export function pullRequestOf(commit: Pick<GitCommit, 'message' | 'parentCount'>): { number: number; title: string; headBranch: string | null } | null {
  // Every commit is asked: the body is split only for a merge.
  const newline = commit.message.indexOf('\n');
  const subject = newline === -1 ? commit.message : commit.message.slice(0, newline);
  const merge = subject.match(MERGE_SUBJECT);
  if (merge && commit.parentCount > 1) {
    const body = newline === -1 ? [] : commit.message.slice(newline + 1).split('\n');
    const title = body.find((l) => l.trim() !== '')?.trim() ?? subject;
    return { number: Number(merge[1]), title, headBranch: merge[2]!.replace(/^[^/]+\//, '') };
  }
  const squash = subject.match(SQUASH_SUBJECT);
  return squash ? { number: Number(squash[1]), title: subject.replace(SQUASH_SUBJECT, '').trim(), headBranch: null } : null;
}

/** The strong signal of a git-ai note that attests AI lines; its tool is the agent with the most. */
export function gitAiNoteSignal(note: GitAiNote): AiSignal | null {
  const [top] = note.agents;
  if (note.aiLines === 0) return null;
  const agents = note.agents.map((a) => [a.tool, a.model].filter(Boolean).join(' ')).join(', ');
  const files = `${note.files.length} file${note.files.length === 1 ? '' : 's'}`;
  return {
    kind: 'git_ai_note', tool: top?.name ?? 'git-ai', aiTool: top?.aiTool ?? 'other', strength: 'strong',
    evidence: `refs/notes/ai: ${note.aiLines} AI line${note.aiLines === 1 ? '' : 's'} in ${files}${agents ? ` (${agents})` : ''}`.slice(0, 300),
  };
}

/** AI signals and AI-attributed lines: a git-ai note's line count where there is one, else all or nothing. */
function attributeCommit(c: GitCommit, policy: AttributionPolicy): { aiAdditions: number; isAi: boolean; aiEvidence: AiSignal[] } {
  const signals = detectCommitSignals({ message: c.message, authorName: c.authorName, authorEmail: c.authorEmail }, policy.rules);
  const note = c.aiNote ? parseGitAiNote(c.aiNote) : null;
  const noteSignal = note && gitAiNoteSignal(note);
  const aiEvidence = noteSignal ? [noteSignal, ...signals] : signals;
  const isAi = isAiWritten(aiEvidence, policy);
  return { aiAdditions: note ? Math.min(c.additions, note.aiLines) : isAi ? c.additions : 0, isAi, aiEvidence };
}

/** A parameterised statement: on the COPY connection, or through Prisma on the embedded database. */
type Query = <T>(text: string, values: unknown[]) => Promise<T[]>;

function queryOn(client: pg.Client | null): Query {
  if (client) return async <T,>(text: string, values: unknown[]) => (await client.query(text, values)).rows as T[];
  return <T,>(text: string, values: unknown[]) => db().$queryRawUnsafe<T[]>(text, ...values);
}

/**
 * Person ids by lower-cased commit email; unseen authors get a person and a git_email identity
 * each, all in one statement. Plain SQL: through Prisma these two statements a batch cost the
 * import more CPU than its COPY.
 */
async function personIdsByEmail(query: Query, orgId: string, commits: Pick<GitCommit, 'authorEmail' | 'authorName'>[]): Promise<Map<string, string>> {
  const byEmail = new Map(commits.map((c) => [c.authorEmail.toLowerCase(), c.authorName]));
  const known = await query<{ externalId: string; personId: string }>(
    `SELECT "externalId", "personId" FROM "Identity" WHERE "orgId" = $1 AND provider = 'git_email' AND "externalId" = ANY($2::text[])`,
    [orgId, [...byEmail.keys()]],
  );
  const ids = new Map(known.map((i) => [i.externalId, i.personId]));
  const unseen = [...byEmail].filter(([email]) => !ids.has(email)).map(([email, name]) => ({ email, name, id: randomUUID() }));
  if (unseen.length === 0) return ids;
  await query(
    `WITH person AS (
       INSERT INTO "Person" ("orgId", id, "displayName", email, "isBot")
       SELECT $1, p.id, p.name, p.email, p."isBot" FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[]) AS p(id, name, email, "isBot")
       RETURNING id, email)
     INSERT INTO "Identity" ("orgId", id, "personId", provider, "externalId", email)
     SELECT $1, i.id, person.id, 'git_email', i.email, i.email FROM unnest($6::text[], $4::text[]) AS i(id, email) JOIN person ON person.email = i.email`,
    [orgId, unseen.map((p) => p.id), unseen.map((p) => p.name), unseen.map((p) => p.email), unseen.map((p) => /\[bot\]/.test(p.name) || /\[bot\]@/.test(p.email)),
      unseen.map(() => randomUUID())],
  );
  for (const p of unseen) ids.set(p.email, p.id);
  return ids;
}

export const COMMIT_COLUMNS = ['orgId', 'id', 'repositoryId', 'sha', 'authorId', 'authorEmail', 'authorName', 'authoredAt', 'committedAt', 'message',
  'additions', 'deletions', 'aiAdditions', 'isAi', 'aiEvidence', 'parentCount', 'onDefaultBranch', 'branches', 'imported'];
const COLUMN_LIST = COMMIT_COLUMNS.map((c) => `"${c}"`).join(', ');
// Git's own facts win over what webhook pushes stored, and the row becomes the import's (a full
// replay keeps it); branches accumulate.
const MERGE = `ON CONFLICT ("orgId", "repositoryId", sha) DO UPDATE SET
  "authoredAt" = EXCLUDED."authoredAt", "committedAt" = EXCLUDED."committedAt", message = EXCLUDED.message,
  additions = EXCLUDED.additions, deletions = EXCLUDED.deletions, "aiAdditions" = EXCLUDED."aiAdditions",
  "isAi" = EXCLUDED."isAi", "aiEvidence" = EXCLUDED."aiEvidence", "parentCount" = EXCLUDED."parentCount",
  "onDefaultBranch" = true, branches = ARRAY(SELECT DISTINCT unnest("Commit".branches || EXCLUDED.branches)), imported = true`;

const JSON_COLUMNS = new Set(['aiEvidence']);
// What markCommitDays looks for in a message (LIKE '%This reverts commit %').
const REVERT_MARK = 'This reverts commit ';

/**
 * The rollup days a batch of commits (rows of `source`) touches, marked in one statement: what
 * the Commit triggers mark row by row (migrations add_weekly_rollups, rollups_dirty_reverts), which
 * a bulk write defers. New commits belong to no pull request yet; linking them marks its own days.
 */
function markCommitDays(source: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`INSERT INTO "RollupDirtyDay" ("orgId", day)
    SELECT DISTINCT s."orgId", (x AT TIME ZONE 'UTC')::date
    FROM ${source} s
    CROSS JOIN LATERAL unnest(ARRAY[s."committedAt", s."authoredAt"]
      || CASE WHEN s.message LIKE '%This reverts commit %' THEN tl_reverted_merges(s."orgId", s."repositoryId", s.message) ELSE '{}' END) AS x
    WHERE x IS NOT NULL
    ON CONFLICT DO NOTHING`;
}

/** A PostgreSQL error's SQLSTATE, if `error` is one. */
function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Bulk upsert of a batch of commits: COPY into a temporary staging table, then one INSERT ... ON
 * CONFLICT merge. The embedded database cannot take COPY over its socket, so there the rows go
 * as one JSON parameter expanded by json_populate_recordset, merged the same way.
 *
 * With `fresh` (the repository had no commits when the import began), the batch is COPYed
 * straight into "Commit": nothing can conflict, so the staging table and the merge are work for
 * nothing. Should a commit be there after all (a webhook push stored it meanwhile), the COPY stops
 * on the unique index, is rolled back to its savepoint, and the batch goes through the merge.
 * Returns how the batch was written.
 */
export async function upsertCommits(copyClient: pg.Client | null, rows: Record<string, unknown>[], fresh = false): Promise<'copy' | 'merge'> {
  if (!copyClient) {
    const batch = Prisma.sql`json_populate_recordset(NULL::"Commit", ${JSON.stringify(rows)}::json)`;
    await db().$transaction([
      db().$executeRaw`SET LOCAL throughline.rollups_deferred = 'on'`,
      db().$executeRaw`INSERT INTO "Commit" (${Prisma.raw(COLUMN_LIST)}) SELECT ${Prisma.raw(COLUMN_LIST)} FROM ${batch} ${Prisma.raw(MERGE)}`,
      db().$executeRaw(markCommitDays(batch)),
    ]);
    return 'merge';
  }
  // Row triggers would mark rollup days once per commit; the batch marks them once, below.
  // synchronous_commit off: no wait for the WAL flush at each batch's commit. Acceptable because
  // the import is idempotent: a server crash can lose only the last batches committed (each whole,
  // with its dirty days; never a torn one), and running the import again upserts every commit,
  // adding what is missing. The next synchronous commit (the pull request links) flushes them all.
  // One round trip for the four statements.
  await copyClient.query(`BEGIN; SET LOCAL throughline.rollups_deferred = 'on'; SET LOCAL synchronous_commit = off${fresh ? '; SAVEPOINT fresh_copy' : ''}`);
  try {
    let written: 'copy' | 'merge' = 'merge';
    if (fresh) {
      try {
        await copyRows(copyClient, 'Commit', COMMIT_COLUMNS, rows, JSON_COLUMNS);
        written = 'copy';
      } catch (error) {
        if (sqlState(error) !== '23505') throw error; // unique_violation: stored meanwhile
        await copyClient.query('ROLLBACK TO SAVEPOINT fresh_copy');
      }
    }
    if (written === 'merge') {
      await copyClient.query('CREATE TEMP TABLE commit_stage (LIKE "Commit") ON COMMIT DROP');
      await copyRows(copyClient, 'commit_stage', COMMIT_COLUMNS, rows, JSON_COLUMNS);
      await copyClient.query(`INSERT INTO "Commit" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM commit_stage ${MERGE}`);
    }
    const mark = markCommitDays(dayInstants(rows));
    await copyClient.query(mark.text, mark.values);
    await copyClient.query('COMMIT');
    return written;
  } catch (error) {
    await copyClient.query('ROLLBACK');
    throw error;
  }
}

/**
 * The batch as markCommitDays reads it, without reading it back from the table: an instant of each
 * UTC day its commits were authored or committed on, and its reverts' messages. The days marked
 * are those of the rows themselves.
 */
function dayInstants(rows: Record<string, unknown>[]): Prisma.Sql {
  const orgIds: unknown[] = [];
  const repositoryIds: unknown[] = [];
  const instants: (string | null)[] = [];
  const messages: (string | null)[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const value of [row.committedAt, row.authoredAt]) {
      if (value === null || value === undefined) continue;
      const instant = value instanceof Date ? value.toISOString() : String(value);
      // An ISO instant in UTC (as toISOString writes it) starts with its UTC day; other forms count whole.
      const day = instant.endsWith('Z') && instant.includes('T') ? instant.slice(0, instant.indexOf('T')) : instant;
      if (seen.has(`${row.orgId}\n${day}`)) continue;
      seen.add(`${row.orgId}\n${day}`);
      orgIds.push(row.orgId);
      repositoryIds.push(null);
      instants.push(instant);
      messages.push(null);
    }
    if (typeof row.message === 'string' && row.message.includes(REVERT_MARK)) {
      orgIds.push(row.orgId);
      repositoryIds.push(row.repositoryId);
      instants.push(null);
      messages.push(row.message);
    }
  }
  return Prisma.sql`(SELECT d."orgId", d."repositoryId", d.at AS "committedAt", NULL::timestamptz AS "authoredAt", d.message
    FROM unnest(${orgIds}::text[], ${repositoryIds}::text[], ${instants}::timestamptz[], ${messages}::text[]) AS d("orgId", "repositoryId", at, message))`;
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
 * commits behind a merge count for that pull request. These links come from no raw event: a full
 * replay keeps them (lib/ingest/replay.ts).
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
      // The commits' messages may name tickets, as a push's do: whichever comes first, the links are the same.
      await refreshPullRequestTicketLinks(tx, orgId, pr.id);
    });
    linked++;
  }
  return linked;
}

/**
 * `throughline import git`: the history of a local clone's branch into a repository of the org,
 * streamed in batches (bounded memory), idempotent (a re-import adds only what is new), with AI
 * attribution from each commit's message, author and git-ai note. Files git cannot read (a partial
 * clone without its remote) are skipped; the first warnings come back in `warningMessages`.
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
  /** False forces the staging merge even into a repository without commits (for tests). */
  fastPath?: boolean;
  /** Commits a batch (for tests); 5,000 by default. */
  batchSize?: number;
  /** After each batch is stored, how it was written (for tests). */
  onBatchWritten?: (written: 'copy' | 'merge', commits: number) => Promise<void> | void;
  onProgress?: (p: ImportProgress) => void;
}): Promise<ImportProgress> {
  const { orgId, branch } = options;
  const provider = options.provider ?? 'github';
  const batchSize = options.batchSize ?? BATCH;
  const progress: ImportProgress = { commits: 0, pullRequests: 0, warnings: 0, warningMessages: [] };
  const warn = (message: string) => {
    progress.warnings++;
    if (progress.warningMessages.length < WARNINGS_KEPT) progress.warningMessages.push(message);
  };
  // The database is set up while git log starts reading the clone (see the loop below).
  const setUp = async () => {
    const repo = await db().repository.upsert({
      where: { orgId_provider_owner_name: { orgId, provider, owner: options.owner, name: options.name } },
      create: { orgId, provider, owner: options.owner, name: options.name, defaultBranch: branch },
      update: {},
    });
    const policy = await loadAttributionPolicy(db(), orgId);
    const copyClient = options.bulk === 'json' ? null : await openCopyClient();
    try {
      // A repository with no commits yet takes the batches straight into "Commit" (see upsertCommits).
      const fresh = copyClient !== null && options.fastPath !== false &&
        (await copyClient.query('SELECT 1 FROM "Commit" WHERE "orgId" = $1 AND "repositoryId" = $2 LIMIT 1', [orgId, repo.id])).rowCount === 0;
      return { repositoryId: repo.id, policy, copyClient, fresh };
    } catch (error) {
      await copyClient?.end();
      throw error;
    }
  };
  type Setup = Awaited<ReturnType<typeof setUp>>;
  const settingUp = setUp();
  let setup: Setup | null = null;
  let setupFailed = false;
  settingUp.then((s) => (setup = s), () => (setupFailed = true)); // awaited where it is needed

  // Linked once every commit is stored: a merge is read before the branch commits it brought in.
  const naming: GitCommit[] = [];
  const branches = [branch]; // shared by the rows, never changed
  const rowOf = ({ repositoryId, policy }: Setup, c: GitCommit) => {
    const { aiAdditions, isAi, aiEvidence } = attributeCommit(c, policy);
    return {
      orgId, id: randomUUID(), repositoryId, sha: c.sha, authorId: null as string | null, authorEmail: c.authorEmail.toLowerCase(), authorName: c.authorName,
      authoredAt: c.authoredAt.toISOString(), committedAt: c.committedAt.toISOString(), message: c.message, additions: c.additions, deletions: c.deletions,
      aiAdditions, isAi, aiEvidence, parentCount: c.parentCount, onDefaultBranch: true, branches, imported: true,
    };
  };
  type CommitRow = ReturnType<typeof rowOf>;
  const store = async (s: Setup, rows: CommitRow[], named: GitCommit[]) => {
    const people = await personIdsByEmail(queryOn(s.copyClient), orgId, rows);
    for (const row of rows) row.authorId = people.get(row.authorEmail) ?? null;
    const written = await upsertCommits(s.copyClient, rows, s.fresh);
    await options.onBatchWritten?.(written, rows.length);
    naming.push(...named);
    progress.commits += rows.length;
    options.onProgress?.({ ...progress, warningMessages: [...progress.warningMessages] });
  };
  // Batch N is written while batch N+1 is read; one write at a time keeps at most two batches in
  // memory. A commit becomes its row (attribution is CPU work) as it arrives, between git's
  // outputs, and only the row is kept: the fewer objects live, the less the garbage collector copies.
  let flushing: Promise<void> = Promise.resolve();
  let waiting: GitCommit[] = []; // read before the database was set up
  let rows: CommitRow[] = [];
  let named: GitCommit[] = []; // the batch's commits that name a pull request
  const add = (s: Setup, c: GitCommit) => {
    rows.push(rowOf(s, c));
    if (pullRequestOf(c)) named.push({ ...c, message: c.message.slice(0, 2000), aiNote: null });
  };
  const addWaiting = (s: Setup) => {
    for (const c of waiting) add(s, c);
    waiting = [];
  };
  const flush = async () => {
    const s = setup ?? (await settingUp);
    addWaiting(s);
    const batch = [rows, named] as const;
    rows = [];
    named = [];
    await flushing;
    flushing = store(s, ...batch);
    flushing.catch(() => {}); // awaited before the next flush or at the end
  };
  try {
    for await (const commits of readGitLogChunks(options.path, branch, { since: options.since, onWarning: warn })) {
      if (setupFailed) await settingUp; // throws its error
      for (const commit of commits) {
        if (setup) {
          if (waiting.length) addWaiting(setup);
          add(setup, commit);
        } else {
          waiting.push(commit);
        }
        if (rows.length + waiting.length >= batchSize) await flush();
      }
    }
    if (rows.length + waiting.length) await flush();
    await flushing;
  } catch (error) {
    // Setting up came first before git log overlapped it: its failure is the one to report.
    await settingUp;
    throw error;
  } finally {
    await flushing.catch(() => {});
    await (await settingUp.catch(() => null))?.copyClient?.end();
  }
  const { repositoryId } = await settingUp;
  progress.pullRequests = await linkNamedPullRequests(orgId, repositoryId, options.path, naming);
  options.onProgress?.({ ...progress, warningMessages: [...progress.warningMessages] });
  return progress;
}
