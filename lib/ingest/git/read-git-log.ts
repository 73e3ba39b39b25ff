import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface GitCommit {
  sha: string;
  parents: string[];
  parentCount: number;
  authorName: string;
  authorEmail: string;
  /** An instant as Date.toISOString writes it (UTC, milliseconds). */
  authoredAt: string;
  committerName: string;
  committerEmail: string;
  /** An instant as Date.toISOString writes it. */
  committedAt: string;
  message: string;
  additions: number;
  deletions: number;
  /** The commit's git-ai note (refs/notes/ai), raw, or null. */
  aiNote: string | null;
}

export interface GitLogOptions {
  since?: Date;
  /** A file or commit git could not read, or a line git wrote on stderr. */
  onWarning?: (message: string) => void;
}

// One record per commit, from a record start to the next: header fields, the raw message and the
// note separated by \x1f, then --numstat lines. Splitting on the record start, not on lines, keeps
// a many-line message or note inside its commit.
const START = '\x1e';
const SEP = '\x1f';
const FIELDS = 10; // sha … message, note
const NOTES_REF = 'refs/notes/ai';

/** Whether the clone has git-ai notes; asking for an absent notes ref makes git warn. */
export function hasAiNotes(repoPath: string): boolean {
  try {
    execFileSync('git', ['-C', repoPath, 'rev-parse', '--verify', '--quiet', NOTES_REF], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The `git log` the import runs (the benchmark times the same command). Dates in strict ISO 8601
 * in the local time zone, which git's environment sets to UTC (GIT_LOG_ENV): instants then come in
 * one form that needs no Date to become what Date.toISOString writes.
 */
export function gitLogArgs(repoPath: string, branch: string, options: { since?: Date; notes: boolean; skip?: number; oneWithoutNumstat?: boolean }): string[] {
  const note = options.notes ? '%N' : '';
  return [
    '-C', repoPath, 'log', branch, `--format=${START}%H${SEP}%P${SEP}%an${SEP}%ae${SEP}%ad${SEP}%cn${SEP}%ce${SEP}%cd${SEP}%B${SEP}${note}${SEP}`, '--date=iso-strict-local',
    ...(options.oneWithoutNumstat ? ['-n1'] : ['--numstat', '--no-renames']), ...(options.notes ? [`--notes=${NOTES_REF}`] : []),
    ...(options.since ? [`--since=${options.since.toISOString()}`] : []), ...(options.skip ? [`--skip=${options.skip}`] : []),
  ];
}

/** Sums numstat lines ("12\t3\tpath"); binary files ("-\t-\tpath") add no lines. */
function addNumstat(commit: { additions: number; deletions: number }, text: string): void {
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    const tab1 = text.indexOf('\t', at);
    const tab2 = tab1 === -1 || tab1 > end ? -1 : text.indexOf('\t', tab1 + 1);
    if (tab2 !== -1 && tab2 < end) {
      const added = Number(text.slice(at, tab1));
      const deleted = Number(text.slice(tab1 + 1, tab2));
      if (Number.isInteger(added) && Number.isInteger(deleted)) {
        commit.additions += added;
        commit.deletions += deleted;
      }
    }
    at = end + 1;
  }
}

// GIT_FLUSH=0: into a pipe git otherwise flushes after every commit, and reading its output a few
// hundred bytes at a time costs this process more than parsing it (and git, waiting on the
// reader, about half as much again). TZ=UTC: see gitLogArgs.
const GIT_LOG_ENV = { GIT_FLUSH: '0', TZ: 'UTC' };

/** A date git wrote as Date.toISOString writes it: by hand for UTC ("2026-03-02T09:00:00+00:00"), else through Date. */
function isoInstant(gitDate: string): string {
  return gitDate.length === 25 && gitDate.endsWith('+00:00') ? `${gitDate.slice(0, 19)}.000Z` : new Date(gitDate).toISOString();
}

function parseRecord(record: string): GitCommit {
  const parts = record.split(SEP);
  const [sha, parents, an, ae, ad, cn, ce, cd] = parts as [string, string, string, string, string, string, string, string];
  const list = parents ? parents.split(' ') : [];
  const commit: GitCommit = {
    sha, parents: list, parentCount: list.length, authorName: an, authorEmail: ae, authoredAt: isoInstant(ad), committerName: cn, committerEmail: ce,
    committedAt: isoInstant(cd), message: (parts[8] ?? '').trim(), additions: 0, deletions: 0, aiNote: parts[9]?.trim() || null,
  };
  // The numstat lines are one part unless a file name holds the separator.
  addNumstat(commit, parts.length === FIELDS + 1 ? parts[FIELDS]! : parts.slice(FIELDS).join(SEP));
  return commit;
}

function git(repoPath: string, args: string[]): string {
  return execFileSync('git', ['-C', repoPath, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** The commit at `skip` in the log's order, without line counts (reading it needs no blob). */
function readCommitAt(repoPath: string, branch: string, options: { since?: Date; notes: boolean; skip: number }): GitCommit | null {
  const record = execFileSync('git', gitLogArgs(repoPath, branch, { ...options, oneWithoutNumstat: true }), {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...GIT_LOG_ENV },
  });
  return record.startsWith(START) ? parseRecord(record.slice(1)) : null;
}

/**
 * Line counts of a commit git log could not diff (a partial clone whose promisor remote is gone,
 * deleted objects): the files whose blobs are here, and a warning for each that is not. False
 * when no blob is missing, i.e. the failure was something else.
 */
function readWithMissingBlobs(repoPath: string, commit: GitCommit, onWarning?: (message: string) => void): boolean {
  // -z: "<:modes> <old> <new> <status>\0<path>\0" with paths unquoted.
  const raw = git(repoPath, ['diff-tree', '-r', '-z', '--raw', '--no-abbrev', '--no-renames', '--root', '--no-commit-id', commit.sha]).split('\0');
  const files: { path: string; blobs: string[] }[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [, , oldBlob, newBlob] = raw[i]!.split(' ');
    files.push({ path: raw[i + 1]!, blobs: [oldBlob!, newBlob!] });
  }
  // --missing=print lists what is absent without fetching it from a promisor remote.
  const missing = new Set(
    git(repoPath, ['rev-list', '--objects', '--missing=print', '--no-walk', commit.sha, ...commit.parents.slice(0, 1)])
      .split('\n').filter((l) => l.startsWith('?')).map((l) => l.slice(1)),
  );
  const absent = files.filter((f) => f.blobs.some((b) => missing.has(b)));
  if (absent.length === 0) return false;
  for (const f of absent) onWarning?.(`commit ${commit.sha.slice(0, 12)}: ${f.path} is not in the clone (blob ${f.blobs.find((b) => missing.has(b))!.slice(0, 12)}); its lines are not counted`);
  const readable = files.filter((f) => !absent.includes(f)).map((f) => `:(literal)${f.path}`);
  commit.additions = 0; // counted afresh from the readable files
  commit.deletions = 0;
  if (readable.length > 0 && readable.length <= 5000) {
    addNumstat(commit, git(repoPath, ['diff-tree', '-r', '--numstat', '--no-renames', '--root', '--no-commit-id', commit.sha, '--', ...readable]));
  }
  return true;
}

/**
 * Streams the commits reachable from `branch` in `repoPath`, newest first, with their line counts
 * and git-ai notes, in bounded memory whatever the history size. Binary files add no lines. When git
 * stops on a blob the clone lacks, that commit keeps the files it has, a warning names the others,
 * and the log resumes after it.
 */
export async function* readGitLog(repoPath: string, branch: string, options: GitLogOptions = {}): AsyncGenerator<GitCommit> {
  for await (const commits of readGitLogChunks(repoPath, branch, options)) yield* commits;
}

/**
 * readGitLog, a group of commits at a time: those each read from git completes (one async step
 * per group instead of one per commit).
 */
export async function* readGitLogChunks(repoPath: string, branch: string, options: GitLogOptions = {}): AsyncGenerator<GitCommit[]> {
  yield* startGitLog(repoPath, branch, options).chunks(options.onWarning);
}

// Output git has written and the reader has not parsed yet, at most (characters): past it git
// waits on the pipe. It lets git run ahead while the reader is busy (loading, connecting).
const MAX_BUFFERED = 16 * 1024 * 1024;
// The most output handed to the parser at once (one read of the pipe, a few hundred commits, a few
// milliseconds of work): a backlog is parsed a piece at a time, and between pieces the event loop
// turns, reading git's pipe (else full: git would wait while this process parses) and the
// database's answers (each statement of a batch being written waits for such a turn).
const MAX_TAKEN = 64 * 1024;

/** A `git log` child whose output is taken in as git writes it, up to MAX_BUFFERED, read or not. */
class GitLogRun {
  readonly exited: Promise<number>;
  readonly stderr: string[] = [];
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly queue: string[] = [];
  private queued = 0;
  private ended = false;
  private failed: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(args: string[]) {
    this.child = spawn('git', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...GIT_LOG_ENV } });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise<number>((resolve) => this.child.on('close', (code) => resolve(code ?? 1)));
    this.child.on('error', (error) => this.fail(error)); // git could not be started

    const stdout = this.child.stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      this.queue.push(chunk);
      this.queued += chunk.length;
      if (this.queued >= MAX_BUFFERED) stdout.pause();
      this.wake?.();
    });
    stdout.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    stdout.on('error', (error) => this.fail(error));
  }

  private fail(error: Error): void {
    this.failed ??= error;
    this.wake?.();
  }

  /** git's output as it comes, a piece (MAX_TAKEN) at a time. */
  async *output(): AsyncGenerator<string> {
    for (;;) {
      if (this.failed) throw this.failed;
      if (this.queue.length > 0) {
        let n = 0;
        let taken = 0;
        while (n < this.queue.length && taken < MAX_TAKEN) taken += this.queue[n++]!.length;
        const text = n === 1 ? this.queue[0]! : this.queue.slice(0, n).join('');
        this.queue.splice(0, n);
        this.queued -= taken;
        if (this.child.stdout.isPaused() && this.queued < MAX_BUFFERED) this.child.stdout.resume();
        yield text;
        await nextTurn();
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    }
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

export interface GitLogReader {
  /** The commits (as readGitLogChunks yields them); read once. */
  chunks(onWarning?: (message: string) => void): AsyncGenerator<GitCommit[]>;
  /** Ends git if the log was left unread (a failure before or while reading it). */
  stop(): void;
}

/**
 * Starts reading the log now (git runs and its output is taken in, to a bound), to be parsed when
 * `chunks` is read: a caller starts git first and loads and connects while it runs.
 */
export function startGitLog(repoPath: string, branch: string, options: { since?: Date } = {}): GitLogReader {
  const notes = hasAiNotes(repoPath);
  let run = new GitLogRun(gitLogArgs(repoPath, branch, { since: options.since, notes }));
  async function* chunks(onWarning?: (message: string) => void): AsyncGenerator<GitCommit[]> {
    try {
      yield* readRuns(onWarning);
    } finally {
      run.stop(); // left unread (otherwise git has exited)
    }
  }
  async function* readRuns(onWarning?: (message: string) => void): AsyncGenerator<GitCommit[]> {
    let read = 0;
    for (;;) {
      let pending = '';
      let last: GitCommit | null = null; // held back: it would be incomplete had git stopped after its header
      for await (const chunk of run.output()) {
        pending += chunk;
        if (!chunk.includes(START)) continue; // a large record (many files) still arriving
        const records = pending.split(START);
        pending = records.pop()!;
        const complete: GitCommit[] = [];
        for (const record of records) {
          if (record === '') continue;
          if (last) complete.push(last);
          last = parseRecord(record);
          read++;
        }
        if (complete.length) yield complete;
      }
      if (pending !== '') {
        if (last) yield [last];
        last = parseRecord(pending);
        read++;
      }
      const code = await run.exited;
      const errors = run.stderr.join('').split('\n').filter(Boolean);
      if (code === 0) {
        if (last) yield [last];
        for (const line of errors) onWarning?.(line);
        return;
      }
      // git 2.39 stops on a missing blob before printing that commit's header: the commit it could
      // not diff is the next one. The log then resumes after it, walking again from the branch tip
      // and skipping what was read (no diff for those).
      if (last && readWithMissingBlobs(repoPath, last, onWarning)) {
        yield [last];
        run = new GitLogRun(gitLogArgs(repoPath, branch, { since: options.since, notes, skip: read }));
        continue;
      }
      if (last) yield [last];
      const stopped = readCommitAt(repoPath, branch, { since: options.since, notes, skip: read });
      if (!stopped || !readWithMissingBlobs(repoPath, stopped, onWarning)) {
        throw new Error(`git log failed (exit ${code}) in ${repoPath}: ${errors.slice(-3).join(' ')}`);
      }
      yield [stopped];
      read++;
      run = new GitLogRun(gitLogArgs(repoPath, branch, { since: options.since, notes, skip: read }));
    }
  }
  return { chunks, stop: () => run.stop() };
}
