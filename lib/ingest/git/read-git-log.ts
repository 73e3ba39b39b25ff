import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface GitCommit {
  sha: string;
  parents: string[];
  parentCount: number;
  authorName: string;
  authorEmail: string;
  authoredAt: Date;
  committerName: string;
  committerEmail: string;
  committedAt: Date;
  message: string;
  additions: number;
  deletions: number;
}

// One record per commit: header fields separated by \x1f, the raw message, then --numstat lines.
const START = '\x1e';
const SEP = '\x1f';
const FORMAT = `${START}%H${SEP}%P${SEP}%an${SEP}%ae${SEP}%aI${SEP}%cn${SEP}%ce${SEP}%cI${SEP}%B${SEP}`;

/**
 * Streams the commits reachable from `branch` in `repoPath`, newest first, with their line counts,
 * in bounded memory whatever the history size. Binary files (numstat "-") add no lines. A clone with
 * missing blobs (partial, LFS) makes git warn on stderr; the import goes on without those files.
 */
export async function* readGitLog(repoPath: string, branch: string, options: { since?: Date; onWarning?: (line: string) => void } = {}): AsyncGenerator<GitCommit> {
  const args = ['-C', repoPath, 'log', branch, `--format=${FORMAT}`, '--numstat', '--no-renames', ...(options.since ? [`--since=${options.since.toISOString()}`] : [])];
  const git = spawn('git', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = createInterface({ input: git.stderr });
  stderr.on('line', (line) => options.onWarning?.(line));
  const exited = new Promise<number>((resolve) => git.on('close', (code) => resolve(code ?? 1)));

  let current: GitCommit | null = null;
  let messageLines: string[] | null = null; // collecting a message until its closing separator
  for await (const line of createInterface({ input: git.stdout, crlfDelay: Infinity })) {
    if (messageLines) {
      const end = line.indexOf(SEP);
      if (end === -1) {
        messageLines.push(line);
        continue;
      }
      messageLines.push(line.slice(0, end));
      current!.message = messageLines.join('\n').trim();
      messageLines = null;
      continue;
    }
    if (line.startsWith(START)) {
      if (current) yield current;
      const [sha, parents, an, ae, ad, cn, ce, cd, ...rest] = line.slice(1).split(SEP);
      current = {
        sha: sha!, parents: parents ? parents.split(' ') : [], parentCount: parents ? parents.split(' ').length : 0, authorName: an!, authorEmail: ae!, authoredAt: new Date(ad!),
        committerName: cn!, committerEmail: ce!, committedAt: new Date(cd!), message: '', additions: 0, deletions: 0,
      };
      const body = rest.join(SEP);
      if (rest.length >= 2) current.message = rest[0]!.trim(); // the message ended on this line
      else messageLines = [body];
      continue;
    }
    const stat = line.match(/^(\d+|-)\t(\d+|-)\t/);
    if (stat && current) {
      current.additions += stat[1] === '-' ? 0 : Number(stat[1]);
      current.deletions += stat[2] === '-' ? 0 : Number(stat[2]);
    }
  }
  if (current) yield current;
  const code = await exited;
  if (code !== 0) throw new Error(`git log failed (exit ${code}) in ${repoPath}`);
}
