// Benchmark: `throughline import git` as a user runs it, on a generated history.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:git-import [-- 20000 [rounds=5]]
// Makes a repository with git fast-import (each commit rewrites one of 100 files with 3 lines, every 10th carries a
// Claude co-author trailer), creates the org with `throughline org create`, then runs `node bin/throughline.js
// import git` as a child process on a fresh database, and compares its wall time with the time of the very `git
// log` the import streams (timed right before and right after the import, read to the end through a pipe). The
// child's peak RSS is its kernel high-water mark (VmHWM, polled from /proc until it exits; cross-checked with
// /usr/bin/time's maximum resident set size where that exists). On a busy machine wall times swing with the load,
// so CPU seconds are printed too: the CLI's with its git children (/usr/bin/time) plus its PostgreSQL sessions'
// (polled from /proc; the server must run on this machine), against git log's. A second at this size swings by
// 15-25% from run to run here, so the import runs `rounds` times (each into an org of its own, the same work),
// each between two timings of git log, and the figures are the median round's, with every round's ratio shown.
// Then a re-import (nothing new), and the database is dropped.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { gitLogArgs, hasAiNotes } from '../lib/ingest/git/read-git-log.ts';
import { withBenchDatabase } from './bench-database.ts';

const count = Number(process.argv[2] ?? 20000);
const BIN = path.join(import.meta.dirname, '../bin/throughline.js');
// The command as `npm install` leaves it: built from the current sources (a stale build is passed over for the
// sources through tsx, which is not what a user runs).
execFileSync('npm', ['run', '-s', 'build:cli'], { cwd: path.join(import.meta.dirname, '..'), stdio: 'inherit' });
const TIME = '/usr/bin/time';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-bench-git-'));
execFileSync('git', ['init', '-q', '-b', 'main', dir]);
const parts: string[] = [];
for (let i = 1; i <= count; i++) {
  const message = i % 10 === 0 ? `Change ${i}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n` : `Change ${i}\n`;
  const when = 1767225600 + i * 600;
  const content = `a ${i}\nb ${i}\nc ${i}\n`;
  parts.push(`commit refs/heads/main\nmark :${i}\nauthor Dev ${i % 40} <dev${i % 40}@example.com> ${when} +0000\ncommitter Dev ${i % 40} <dev${i % 40}@example.com> ${when} +0000\n`);
  parts.push(`data ${Buffer.byteLength(message)}\n${message}${i > 1 ? `from :${i - 1}\n` : ''}M 644 inline f${i % 100}.txt\ndata ${content.length}\n${content}\n`);
}
const t = Date.now();
execFileSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: parts.join(''), maxBuffer: 1024 * 1024 * 1024 });
parts.length = 0;
execFileSync('git', ['-C', dir, 'checkout', '-q', 'main']);
console.log(`generated ${count} commits in ${((Date.now() - t) / 1000).toFixed(1)}s`);

/** The import's own `git log` (same format, numstat and notes flags), read to the end through a pipe: seconds and CPU seconds. */
async function timeGitLog(): Promise<{ seconds: number; cpu: number | null }> {
  const wrapped = existsSync(TIME);
  const timeFile = path.join(os.tmpdir(), `tl-bench-git-time-${process.pid}`);
  const args = gitLogArgs(dir, 'main', { notes: hasAiNotes(dir) });
  const started = performance.now();
  const child = wrapped
    ? spawn(TIME, ['-f', '%U %S', '-o', timeFile, 'git', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn('git', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let bytes = 0;
  for await (const chunk of child.stdout) bytes += (chunk as Buffer).length;
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0 || bytes === 0) throw new Error(`git log failed (exit ${code})`);
  const cpu = wrapped ? readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) : null;
  rmSync(timeFile, { force: true });
  return { seconds, cpu };
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 a second)
  } catch {
    return null;
  }
}

function statusKb(pid: number, field: string): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // gone
  }
}

/** The node process that does the work: the child itself, or /usr/bin/time's child. */
function nodePid(pid: number, wrapped: boolean): number | null {
  if (!wrapped) return pid;
  try {
    const [child] = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return child ? Number(child) : null;
  } catch {
    return null;
  }
}

interface CliRun { seconds: number; peakKb: number; timeMaxKb: number | null; cpu: number | null; dbCpu: number; stdout: string; stderr: string }

/**
 * Runs `node bin/throughline.js …args` on `url`, polling the node process's VmHWM every 10 ms until it exits, and
 * the CPU time of the PostgreSQL sessions on the database (as far as seen by a poll every 100 ms).
 */
async function cli(url: string, args: string[]): Promise<CliRun> {
  const wrapped = existsSync(TIME);
  const timeFile = path.join(os.tmpdir(), `tl-bench-cli-time-${process.pid}`);
  const command = wrapped ? [TIME, '-f', '%M %U %S', '-o', timeFile, process.execPath, BIN, ...args] : [process.execPath, BIN, ...args];
  const database = new URL(url).pathname.slice(1);
  const monitor = new pg.Client({ connectionString: url });
  await monitor.connect();
  const sessions = new Map<number, number>();
  let polling = true;
  const watch = (async () => {
    while (polling) {
      const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      for (const { pid } of rows) {
        const cpu = cpuSeconds(pid);
        if (cpu !== null) sessions.set(pid, Math.max(sessions.get(pid) ?? 0, cpu));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let peakKb = 0;
  let worker: number | null = null;
  const poll = () => {
    worker ??= nodePid(child.pid!, wrapped);
    const hwm = worker === null ? null : statusKb(worker, 'VmHWM');
    if (hwm !== null) peakKb = Math.max(peakKb, hwm);
  };
  const timer = setInterval(poll, 10);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  polling = false;
  await watch;
  await monitor.end();
  if (code !== 0) throw new Error(`throughline ${args.join(' ')} failed (exit ${code}):\n${stderr}\n${stdout}`);
  const [timeMaxKb = null, user = null, system = null] = wrapped && existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) : [];
  if (wrapped) rmSync(timeFile, { force: true });
  const dbCpu = [...sessions.values()].reduce((a, b) => a + b, 0);
  return { seconds, peakKb, timeMaxKb, cpu: user !== null && system !== null ? user + system : null, dbCpu, stdout, stderr };
}

const mb = (kb: number) => Math.round(kb / 1024);

const rounds = Math.max(1, Number(process.argv[3] ?? 5));

await withBenchDatabase('git', async (url) => {
  await timeGitLog(); // warm the page cache as the import's own run would find it
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    const org = `bench-${round}`;
    await cli(url, ['org', 'create', org, '--name', `Bench ${round}`]);
    const gitBefore = await timeGitLog();
    const run = await cli(url, ['import', 'git', dir, '--org', org, '--repo', 'bench/repo']);
    const gitAfter = await timeGitLog();
    const gitSeconds = (gitBefore.seconds + gitAfter.seconds) / 2;
    results.push({ gitBefore, gitAfter, gitSeconds, run, ratio: run.seconds / gitSeconds });
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM "Commit"');
  await client.end();
  if (Number(rows[0]!.n) !== count * rounds) throw new Error(`imported ${rows[0]!.n} commits, expected ${count * rounds}`);
  const byRatio = [...results].sort((a, b) => a.ratio - b.ratio);
  const { gitBefore, gitAfter, gitSeconds, run } = byRatio[Math.floor((byRatio.length - 1) / 2)]!;
  const gitCpu = gitBefore.cpu !== null && gitAfter.cpu !== null ? (gitBefore.cpu + gitAfter.cpu) / 2 : null;
  const reported = run.stdout.match(/ in ([\d.]+)s/);
  const inside = reported ? Number(reported[1]) : NaN;
  const peakKb = Math.max(...results.map((r) => r.run.peakKb));
  const timeMaxKb = results.every((r) => r.run.timeMaxKb !== null) ? Math.max(...results.map((r) => r.run.timeMaxKb!)) : null;
  console.log(`rounds: ${rounds}, import / git log: ${results.map((r) => r.ratio.toFixed(2)).join(', ')}; the median round below`);
  console.log(`git log (the import's own command, to a pipe): ${gitBefore.seconds.toFixed(2)}s before, ${gitAfter.seconds.toFixed(2)}s after, mean ${gitSeconds.toFixed(2)}s${gitCpu !== null ? `; CPU ${gitBefore.cpu!.toFixed(2)}s / ${gitAfter.cpu!.toFixed(2)}s` : ''}`);
  console.log(`throughline import git (child process, start to exit): ${run.seconds.toFixed(2)}s for ${count} commits = ${(run.seconds / gitSeconds).toFixed(2)}x git log (${(run.seconds / Math.max(gitBefore.seconds, gitAfter.seconds)).toFixed(2)}x the slower git log)`);
  console.log(`  of which the import itself, as the CLI reports it: ${inside.toFixed(1)}s = ${(inside / gitSeconds).toFixed(2)}x git log`);
  console.log(`  peak RSS of the node process, the most of any round: ${mb(peakKb)} MB (VmHWM)${timeMaxKb ? `, ${mb(timeMaxKb)} MB (/usr/bin/time max RSS)` : ''}`);
  if (run.cpu !== null && gitCpu !== null) {
    const total = run.cpu + run.dbCpu;
    console.log(`  CPU: ${run.cpu.toFixed(2)}s the CLI with its git children + ${run.dbCpu.toFixed(2)}s its PostgreSQL sessions = ${total.toFixed(2)}s, ${(total / gitCpu).toFixed(2)}x git log's ${gitCpu.toFixed(2)}s`);
  }
  const again = await cli(url, ['import', 'git', dir, '--org', 'bench-1', '--repo', 'bench/repo']);
  console.log(`re-import (nothing new): ${again.seconds.toFixed(2)}s, peak RSS ${mb(again.peakKb)} MB`);
  console.log(`RESULT commits=${count} wall=${run.seconds.toFixed(2)} import=${inside.toFixed(2)} git=${gitSeconds.toFixed(2)} ratio=${(run.seconds / gitSeconds).toFixed(2)} importRatio=${(inside / gitSeconds).toFixed(2)} peakMB=${mb(peakKb)} cpu=${run.cpu?.toFixed(2)} dbCpu=${run.dbCpu.toFixed(2)} gitCpu=${gitCpu?.toFixed(2)}`);
});
rmSync(dir, { recursive: true, force: true });
process.exit(0);
