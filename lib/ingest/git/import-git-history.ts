import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { detectCommitSignals, isAiWritten, type AiSignal } from '../../attribution/detect.ts';
import { parseGitAiNote, type GitAiNote } from '../../attribution/git-ai-note.ts';
import { loadAttributionPolicy, type AttributionPolicy } from '../../attribution/org-rules.ts';
import pg from 'pg';
import { copyField, copyRows, copyText, escapeText } from '../../db/copy-rows.ts';
import { uuidV7 } from '../../db/ids.ts';
import { pgSql, prismaSql } from '../../db/sql.ts';
import { postgresErrorCode } from '../../db/postgres-error-code.ts';
import { AppError } from '../../http/errors.ts';
import { startGitLog, type GitCommit, type GitLogReader } from './read-git-log.ts';

// On PostgreSQL the import works on pg connections and never loads Prisma (its client and query
// engine take longer to load than a 20,000-commit import takes to run): Prisma is loaded only on
// the embedded database and to link the pull requests commits name.
const prisma = async () => (await import('../../db/client.ts')).db();

const BATCH = 5_000;
// The first batches are smaller (1,000 commits, then twice as many each time, up to BATCH): the
// database starts writing as soon as a few commits are read, and is then kept busy.
const FIRST_BATCH = 1_000;
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
  return async <T,>(text: string, values: unknown[]) => (await prisma()).$queryRawUnsafe<T[]>(text, ...values);
}

/** The id of the org with this slug, on a pg connection; not_found (as getOrgBySlug) when there is none. */
export async function orgIdBySlug(client: pg.Client, slug: string): Promise<string> {
  const { rows: [org] } = await client.query<{ id: string }>('SELECT id FROM "Organization" WHERE slug = $1', [slug]);
  if (!org) throw new AppError('not_found', `Organization '${slug}' not found`);
  return org.id;
}

/** The repository's id, created (as Prisma's upsert would, with its defaults) when the org has none of that name. */
async function upsertRepository(client: pg.Client, repo: { orgId: string; provider: string; owner: string; name: string; defaultBranch: string }): Promise<string> {
  const key = [repo.orgId, repo.provider, repo.owner, repo.name];
  const created = await client.query<{ id: string }>(
    `INSERT INTO "Repository" ("orgId", provider, owner, name, id, "defaultBranch") VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ("orgId", provider, owner, name) DO NOTHING RETURNING id`, [...key, uuidV7(), repo.defaultBranch]);
  if (created.rows[0]) return created.rows[0].id;
  const { rows: [stored] } = await client.query<{ id: string }>('SELECT id FROM "Repository" WHERE "orgId" = $1 AND provider = $2 AND owner = $3 AND name = $4', key);
  if (!stored) throw new Error(`repository ${repo.owner}/${repo.name} could not be stored`);
  return stored.id;
}

/**
 * Person ids by lower-cased commit email, in `ids` (the import's: a history has the same authors
 * batch after batch, and those already there are not asked again); unseen authors get a person
 * and a git_email identity each, all in one statement. Plain SQL: through Prisma these two
 * statements a batch cost the import more CPU than its COPY.
 */
async function personIdsByEmail(query: Query, orgId: string, commits: Pick<GitCommit, 'authorEmail' | 'authorName'>[], ids = new Map<string, string>()): Promise<Map<string, string>> {
  if (ids.size > 100_000) ids.clear(); // bounded whatever the history
  const byEmail = new Map<string, string>();
  for (const c of commits) {
    const email = c.authorEmail.toLowerCase();
    if (!ids.has(email)) byEmail.set(email, c.authorName); // the last name of an email, as the batch has it
  }
  if (byEmail.size === 0) return ids;
  const known = await query<{ externalId: string; personId: string }>(
    `SELECT "externalId", "personId" FROM "Identity" WHERE "orgId" = $1 AND provider = 'git_email' AND "externalId" = ANY($2::text[])`,
    [orgId, [...byEmail.keys()]],
  );
  for (const i of known) ids.set(i.externalId, i.personId);
  const unseen = [...byEmail].filter(([email]) => !ids.has(email)).map(([email, name]) => ({ email, name, id: randomUUID() }));
  if (unseen.length === 0) return ids;
  await query(
    `WITH person AS (
       INSERT INTO "Person" ("orgId", id, "displayName", email, "isBot")
       SELECT $1, p.id, p.name, p.email, p."isBot" FROM unnest($2::uuid[], $3::text[], $4::text[], $5::boolean[]) AS p(id, name, email, "isBot")
       RETURNING id, email)
     INSERT INTO "Identity" ("orgId", id, "personId", provider, "externalId", email)
     SELECT $1, i.id, person.id, 'git_email', i.email, i.email FROM unnest($6::uuid[], $4::text[]) AS i(id, email) JOIN person ON person.email = i.email`,
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
function markCommitDays(source: string): string {
  return `INSERT INTO "RollupDirtyDay" ("orgId", day)
    SELECT DISTINCT s."orgId", (x AT TIME ZONE 'UTC')::date
    FROM ${source} s
    CROSS JOIN LATERAL unnest(ARRAY[s."committedAt", s."authoredAt"]
      || CASE WHEN s.message LIKE '%This reverts commit %' THEN tl_reverted_merges(s."orgId", s."repositoryId", s.message) ELSE '{}' END) AS x
    WHERE x IS NOT NULL
    ORDER BY 1, 2 -- in key order: two batches written at once wait on each other's days, never deadlock
    ON CONFLICT DO NOTHING`;
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
    const db = await prisma();
    const batch = 'json_populate_recordset(NULL::"Commit", $1::json)';
    const json = JSON.stringify(rows);
    await db.$transaction([
      db.$executeRaw`SET LOCAL throughline.rollups_deferred = 'on'`,
      db.$executeRawUnsafe(`INSERT INTO "Commit" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM ${batch} ${MERGE}`, json),
      db.$executeRawUnsafe(markCommitDays(batch), json),
    ]);
    return 'merge';
  }
  const days = new CommitDays();
  for (const row of rows) days.add(row.orgId, row.repositoryId, row.committedAt, row.authoredAt, row.message);
  return writeCommits(copyClient, (table) => copyRows(copyClient, table, COMMIT_COLUMNS, rows, JSON_COLUMNS), days, fresh);
}

/** upsertCommits on a COPY connection, for a batch that `copy` writes into a table (COMMIT_COLUMNS) and whose days are `days`. */
async function writeCommits(copyClient: pg.Client, copy: (table: string) => Promise<void>, days: CommitDays, fresh: boolean): Promise<'copy' | 'merge'> {
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
        await copy('Commit');
        written = 'copy';
      } catch (error) {
        if (postgresErrorCode(error) !== '23505') throw error; // unique_violation: stored meanwhile
        await copyClient.query('ROLLBACK TO SAVEPOINT fresh_copy');
      }
    }
    if (written === 'merge') {
      await copyClient.query('CREATE TEMP TABLE commit_stage (LIKE "Commit") ON COMMIT DROP');
      await copy('commit_stage');
      await copyClient.query(`INSERT INTO "Commit" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM commit_stage ${MERGE}`);
    }
    const marked = days.statement();
    await copyClient.query(marked.text, marked.values);
    await copyClient.query('COMMIT');
    return written;
  } catch (error) {
    await copyClient.query('ROLLBACK');
    throw error;
  }
}

/**
 * A batch as markCommitDays reads it, without reading it back from the table, gathered row by
 * row: an instant of each UTC day its commits were authored or committed on, and its reverts'
 * messages. The days marked are those of the rows themselves.
 */
class CommitDays {
  private readonly orgIds: unknown[] = [];
  private readonly repositoryIds: unknown[] = [];
  private readonly instants: (string | null)[] = [];
  private readonly messages: (string | null)[] = [];
  private readonly seen = new Set<string>();
  // The last day added: a log's commits come in time order, mostly several a day.
  private lastOrgId: unknown;
  private lastDay: string | null = null;

  add(orgId: unknown, repositoryId: unknown, committedAt: unknown, authoredAt: unknown, message: unknown): void {
    this.addInstant(orgId, committedAt);
    this.addInstant(orgId, authoredAt);
    if (typeof message === 'string' && message.includes(REVERT_MARK)) {
      this.orgIds.push(orgId);
      this.repositoryIds.push(repositoryId);
      this.instants.push(null);
      this.messages.push(message);
    }
  }

  private addInstant(orgId: unknown, value: unknown): void {
    if (value === null || value === undefined) return;
    const instant = value instanceof Date ? value.toISOString() : String(value);
    // An ISO instant in UTC (as toISOString writes it) starts with its UTC day; other forms count whole.
    const day = instant.endsWith('Z') && instant.includes('T') ? instant.slice(0, instant.indexOf('T')) : instant;
    if (day === this.lastDay && orgId === this.lastOrgId) return;
    this.lastOrgId = orgId;
    this.lastDay = day;
    const key = `${orgId}\n${day}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.orgIds.push(orgId);
    this.repositoryIds.push(null);
    this.instants.push(instant);
    this.messages.push(null);
  }

  statement(): { text: string; values: unknown[] } {
    return {
      text: markCommitDays(`(SELECT d."orgId", d."repositoryId", d.at AS "committedAt", NULL::timestamptz AS "authoredAt", d.message
        FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[]) AS d("orgId", "repositoryId", at, message))`),
      values: [this.orgIds, this.repositoryIds, this.instants, this.messages],
    };
  }
}

/**
 * A commit as a line of COPY text (COMMIT_COLUMNS), but for its authorId, which goes between
 * `head` and `tail` once the batch's authors are looked up. Made as the commit is read: a batch
 * waiting to be written is then a few strings a commit, not an object graph (less for the
 * garbage collector to copy), and COPY needs no formatting field by field.
 */
interface CommitLine {
  authorEmail: string;
  authorName: string;
  head: string;
  tail: string;
}

// Large: each chunk waits for a turn of the event loop, which parsing the next batch holds for a few
// milliseconds at a time.
const COPY_CHUNK_CHARS = 1024 * 1024;

/** The COPY text of `lines` with their authors' person ids, about 1 MB a chunk. */
function* commitText(lines: CommitLine[], authorIds: Map<string, string>): Generator<string> {
  let parts: string[] = [];
  let chars = 0;
  for (const line of lines) {
    const authorId = authorIds.get(line.authorEmail);
    const id = authorId === undefined ? '\\N' : escapeText(authorId);
    parts.push(line.head, id, line.tail);
    chars += line.head.length + id.length + line.tail.length;
    if (chars >= COPY_CHUNK_CHARS) {
      yield parts.join('');
      parts = [];
      chars = 0;
    }
  }
  if (parts.length) yield parts.join('');
}

// The URL each connection openCopyClient made is on: the import opens a second one beside it there.
const copyClientUrls = new WeakMap<pg.Client, string | undefined>();

/** A second connection to the server of `client` (one openCopyClient made), or null: the import then writes on one. */
async function openSecondClient(client: pg.Client): Promise<pg.Client | null> {
  if (!copyClientUrls.has(client)) return null;
  const second = new pg.Client({ connectionString: copyClientUrls.get(client) });
  try {
    await second.connect();
    return second;
  } catch {
    await second.end().catch(() => {});
    return null;
  }
}

/**
 * A connection for COPY (on `url`, DATABASE_URL by default), or null on the embedded database
 * (PGlite), whose socket cannot take it.
 */
export async function openCopyClient(url?: string): Promise<pg.Client | null> {
  const connectionString = url ?? (await import('../../env.ts')).env().DATABASE_URL;
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows: [row] } = await client.query<{ version: string }>('SELECT version()');
    if (row && !row.version.includes('PGlite')) {
      copyClientUrls.set(client, connectionString);
      return client;
    }
  } catch (error) {
    await client.end();
    throw error;
  }
  await client.end();
  return null;
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
  if (commits.length === 0) return 0;
  const [db, { refreshPullRequestTicketLinks }, { linkPullRequestCommits }] = await Promise.all([
    prisma(), import('../../tickets/link-tickets.ts'), import('../link-pull-request-commits.ts'),
  ]);
  let linked = 0;
  for (const commit of commits) {
    const named = pullRequestOf(commit);
    if (!named) continue;
    await db.$transaction(async (tx) => {
      const key = { orgId_repositoryId_number: { orgId, repositoryId, number: named.number } };
      const stored = await tx.commit.findUniqueOrThrow({ where: { orgId_repositoryId_sha: { orgId, repositoryId, sha: commit.sha } } });
      const pr =
        (await tx.pullRequest.findUnique({ where: key })) ??
        (await tx.pullRequest.create({
          data: {
            orgId, repositoryId, number: named.number, title: named.title, state: 'merged', isInferred: true, authorId: stored.authorId,
            headBranch: named.headBranch, createdAt: new Date(commit.authoredAt), readyAt: new Date(commit.authoredAt), mergedAt: new Date(commit.committedAt),
            closedAt: new Date(commit.committedAt), mergeCommitSha: commit.sha,
          },
        }));
      const brought = await tx.commit.findMany({ where: { orgId, repositoryId, sha: { in: mergedBranchCommits(repoPath, commit) } }, select: { id: true } });
      const commitIds = [stored.id, ...brought.map((c) => c.id)];
      await tx.pullRequestCommit.createMany({ data: commitIds.map((commitId) => ({ orgId, pullRequestId: pr.id, commitId })), skipDuplicates: true });
      await linkPullRequestCommits(prismaSql(tx), orgId, pr.id);
      // The commits' messages may name tickets, as a push's do: whichever comes first, the links are the same.
      await refreshPullRequestTicketLinks(prismaSql(tx), orgId, pr.id);
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
  /**
   * The connection to work on, from openCopyClient (null: the embedded database, through Prisma);
   * the caller closes it. By default the import opens its own.
   */
  copyClient?: pg.Client | null;
  /** The log, when the caller started it (startGitLog on the same path, branch and since) to load and connect while git runs. */
  gitLog?: GitLogReader;
  /** False forces the staging merge even into a repository without commits (for tests). */
  fastPath?: boolean;
  /** Commits a batch at most (for tests); 5,000 by default. */
  batchSize?: number;
  /**
   * After each batch is stored, how it was written (for tests). Batches are then written one at a
   * time, the next once this returns (else two at once, on two connections).
   */
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
  const ownClient = options.copyClient === undefined && options.bulk !== 'json';
  const setUp = async () => {
    const copyClient = options.bulk === 'json' ? null : options.copyClient !== undefined ? options.copyClient : await openCopyClient();
    const repository = { orgId, provider, owner: options.owner, name: options.name, defaultBranch: branch };
    try {
      if (!copyClient) {
        const db = await prisma();
        const repo = await db.repository.upsert({
          where: { orgId_provider_owner_name: { orgId, provider, owner: options.owner, name: options.name } }, create: repository, update: {},
        });
        return { repositoryId: repo.id, repositoryIdText: escapeText(repo.id), policy: await loadAttributionPolicy(prismaSql(db), orgId), copyClient, fresh: false };
      }
      const repositoryId = await upsertRepository(copyClient, repository);
      const policy = await loadAttributionPolicy(pgSql(copyClient), orgId);
      // A repository with no commits yet takes the batches straight into "Commit" (see upsertCommits).
      const fresh = options.fastPath !== false &&
        (await copyClient.query('SELECT 1 FROM "Commit" WHERE "orgId" = $1 AND "repositoryId" = $2 LIMIT 1', [orgId, repositoryId])).rowCount === 0;
      return { repositoryId, repositoryIdText: escapeText(repositoryId), policy, copyClient, fresh };
    } catch (error) {
      if (ownClient) await copyClient?.end();
      throw error;
    }
  };
  type Setup = Awaited<ReturnType<typeof setUp>>;
  const settingUp = setUp();
  let setup: Setup | null = null;
  let setupFailed = false;
  settingUp.then((s) => (setup = s), () => (setupFailed = true)); // awaited where it is needed
  const gitLog = options.gitLog ?? startGitLog(options.path, branch, { since: options.since });

  // Linked once every commit is stored: a merge is read before the branch commits it brought in.
  const naming: GitCommit[] = [];
  const branches = [branch]; // shared by the rows, never changed
  // The fields every line of the COPY path shares, formatted once.
  const orgIdText = escapeText(orgId);
  const branchesText = copyField(branches);
  /** A commit as a row (the embedded database's JSON path). */
  const rowOf = ({ repositoryId, policy }: Setup, c: GitCommit) => {
    const { aiAdditions, isAi, aiEvidence } = attributeCommit(c, policy);
    return {
      orgId, id: randomUUID(), repositoryId, sha: c.sha, authorId: null as string | null, authorEmail: c.authorEmail.toLowerCase(), authorName: c.authorName,
      authoredAt: c.authoredAt, committedAt: c.committedAt, message: c.message, additions: c.additions, deletions: c.deletions,
      aiAdditions, isAi, aiEvidence, parentCount: c.parentCount, onDefaultBranch: true, branches, imported: true,
    };
  };
  type CommitRow = ReturnType<typeof rowOf>;
  /** A commit as a COPY line: the fields of rowOf, in COMMIT_COLUMNS order, as copyField writes them. */
  const lineOf = ({ repositoryIdText, policy }: Setup, c: GitCommit): CommitLine => {
    const { aiAdditions, isAi, aiEvidence } = attributeCommit(c, policy);
    const authorEmail = c.authorEmail.toLowerCase();
    return {
      authorEmail, authorName: c.authorName,
      head: [orgIdText, randomUUID(), repositoryIdText, escapeText(c.sha), ''].join('\t'),
      tail: ['', escapeText(authorEmail), escapeText(c.authorName), c.authoredAt, c.committedAt, escapeText(c.message), c.additions, c.deletions, aiAdditions, isAi,
        copyField(aiEvidence, true), c.parentCount, 'true', branchesText, 'true\n'].join('\t'),
    };
  };
  /** The commits of one write: lines on the COPY path, rows on the JSON path. */
  interface Batch {
    lines: CommitLine[];
    rows: CommitRow[];
    days: CommitDays;
    named: GitCommit[]; // those that name a pull request
  }
  const newBatch = (): Batch => ({ lines: [], rows: [], days: new CommitDays(), named: [] });
  const people = new Map<string, string>(); // person ids by email, of the authors seen so far
  // Authors are looked up a batch after the other: one inserts those the next must find.
  let peopleFound: Promise<unknown> = Promise.resolve();
  /** Writes `batch` on `client` (null: through Prisma), and reports it after the batch `before` it. */
  const store = async (s: Setup, batch: Batch, client: pg.Client | null, before: Promise<void>) => {
    const commits = client ? batch.lines : batch.rows;
    const finding = peopleFound.then(() => personIdsByEmail(queryOn(client), orgId, commits, people));
    peopleFound = finding.catch(() => {});
    await finding;
    let written: 'copy' | 'merge';
    if (client) {
      written = await writeCommits(client, (table) => copyText(client, table, COMMIT_COLUMNS, commitText(batch.lines, people)), batch.days, s.fresh);
    } else {
      for (const row of batch.rows) row.authorId = people.get(row.authorEmail) ?? null;
      written = await upsertCommits(null, batch.rows);
    }
    await before;
    await options.onBatchWritten?.(written, commits.length);
    naming.push(...batch.named);
    progress.commits += commits.length;
    options.onProgress?.({ ...progress, warningMessages: [...progress.warningMessages] });
  };
  // Batch N is written while batch N+1 is read; on PostgreSQL, batches N-1 and N are written at once,
  // on two connections (the server writes a connection's rows on one core, at about 20 µs a commit
  // with the Commit table's foreign keys and triggers: on one connection, the import waited for
  // it). At most three batches in memory. A commit becomes its line (attribution is CPU work) as it
  // arrives, between git's outputs, and only the line is kept: the fewer objects live, the less the
  // garbage collector copies.
  let flushing: Promise<void> = Promise.resolve(); // the last batch's write
  let older: Promise<void> = Promise.resolve(); // the write of the batch before it
  let second = null as Promise<pg.Client | null> | null; // the second connection, opened at the first batch
  let flushes = 0;
  let waiting: GitCommit[] = []; // read before the database was set up
  let batch = newBatch();
  let batched = 0;
  let batchLimit = Math.min(batchSize, FIRST_BATCH);
  const add = (s: Setup, c: GitCommit) => {
    if (s.copyClient) {
      batch.lines.push(lineOf(s, c));
      batch.days.add(orgId, s.repositoryId, c.committedAt, c.authoredAt, c.message);
    } else {
      batch.rows.push(rowOf(s, c));
    }
    batched++;
    if (pullRequestOf(c)) batch.named.push({ ...c, message: c.message.slice(0, 2000), aiNote: null });
  };
  const addWaiting = (s: Setup) => {
    // The authors read before the set-up are looked up at once, while their lines are made: the
    // first batch is then written without waiting for it (its own lookup asks again for any missed).
    const read = waiting;
    const lookUp = () => personIdsByEmail(queryOn(s.copyClient), orgId, read, people);
    // Sent now if no batch is being written (its query then goes out before the lines are made).
    if (read.length) peopleFound = (flushes === 0 ? lookUp() : peopleFound.then(lookUp)).catch(() => {});
    for (const c of read) add(s, c);
    waiting = [];
  };
  const flush = async (last = false) => {
    const s = setup ?? (await settingUp);
    addWaiting(s);
    const full = batch;
    batch = newBatch();
    batched = 0;
    batchLimit = Math.min(batchSize, batchLimit * 2);
    // The second connection opens at the first batch (unless it is the only one); batches then
    // alternate between the two, each written once the last one on its connection is.
    if (s.copyClient && !options.onBatchWritten && !last) second ??= openSecondClient(s.copyClient);
    const secondClient = flushes > 0 && second ? await second : null;
    const client = secondClient && flushes % 2 === 1 ? secondClient : s.copyClient;
    flushes++;
    await (secondClient ? older : flushing);
    older = flushing;
    flushing = store(s, full, client, older);
    flushing.catch(() => {}); // awaited before the next flush or at the end
  };
  try {
    for await (const commits of gitLog.chunks(warn)) {
      if (setupFailed) await settingUp; // throws its error
      for (const commit of commits) {
        if (setup) {
          if (waiting.length) addWaiting(setup);
          add(setup, commit);
        } else {
          waiting.push(commit);
        }
        if (batched + waiting.length >= batchLimit) await flush();
      }
    }
    if (batched + waiting.length) await flush(true);
    await flushing;
  } catch (error) {
    // Setting up came first before git log overlapped it: its failure is the one to report.
    await settingUp;
    throw error;
  } finally {
    gitLog.stop();
    await Promise.allSettled([older, flushing]);
    await (await second?.catch(() => null))?.end();
    if (ownClient) await (await settingUp.catch(() => null))?.copyClient?.end();
  }
  const { repositoryId } = await settingUp;
  progress.pullRequests = await linkNamedPullRequests(orgId, repositoryId, options.path, naming);
  options.onProgress?.({ ...progress, warningMessages: [...progress.warningMessages] });
  return progress;
}
