import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { plantDataset } from '../../test/planted-metrics.ts';
import { resetEnvCache } from '../env.ts';
import { log } from '../log.ts';
import { computeWeeks, ORG_SCOPE } from '../metrics/compute-weeks.ts';
import { readWeekFigures, rebuildOrgRollups } from '../metrics/rollups.ts';
import { db, disconnectDb, readDb } from './client.ts';
import { applyMigrations } from './migrate.ts';

// Dashboard reads on a real streaming replica: this file builds its own primary and replica
// (PostgreSQL's pg_basebackup -R) on loopback ports, points DATABASE_URL and DATABASE_READ_URL at
// them, and checks where the weekly figures come from as the replica falls behind, catches up,
// and goes down.

const run = promisify(execFile);
const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16'];
const W2 = '2026-03-09';

/** The newest PostgreSQL server binaries installed the Debian way, or null. */
function serverBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  const tools = ['initdb', 'pg_ctl', 'pg_basebackup'];
  const version = versions.find((v) => tools.every((t) => existsSync(path.join(base, v, 'bin', t))));
  return version ? path.join(base, version, 'bin') : null;
}

function postgresUser(): { uid: number; gid: number } | null {
  try {
    return { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) };
  } catch {
    return null;
  }
}

const BIN = serverBin();
const PG_USER = postgresUser();
// The server refuses to run as root; as root the test runs it as the postgres user.
const skipReason =
  process.getuid?.() !== 0 ? 'needs root (it runs PostgreSQL servers as the postgres user)'
  : !BIN ? 'no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) under /usr/lib/postgresql/*/bin'
  : !PG_USER ? 'no postgres user to run the servers as'
  : null;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Calls `probe` until `done` holds of its value; fails with the last value at the deadline. */
async function poll<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 20_000): Promise<T> {
  const until = performance.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (performance.now() > until) throw new Error(`${what}: still ${JSON.stringify(value)} after ${deadlineMs} ms`);
    await sleep(100);
  }
}

describe.skipIf(skipReason !== null)(`dashboard reads on a streaming replica${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir = '';
  const started: string[] = [];
  const ports = { primary: 0, replica: 0 };
  const url = (port: number, database = 'throughline') => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const savedUrl = process.env.DATABASE_URL;
  let org: Awaited<ReturnType<typeof plantDataset>>;
  let nextNumber = 100;

  const pgTool = (tool: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', path.join(BIN!, tool), ...args], { cwd: dir });
  const startServer = async (name: 'p' | 'r') => {
    await pgTool('pg_ctl', ['-D', path.join(dir, name), '-l', path.join(dir, `${name}.log`), '-w', '-t', '60', 'start']);
    if (!started.includes(name)) started.push(name);
  };
  const stopServer = (name: 'p' | 'r', mode: 'fast' | 'immediate') => pgTool('pg_ctl', ['-D', path.join(dir, name), '-m', mode, '-w', 'stop']);

  async function cleanUp() {
    await disconnectDb();
    for (const name of started.reverse()) await stopServer(name as 'p' | 'r', 'immediate').catch(() => {});
    started.length = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    delete process.env.DATABASE_READ_URL;
    delete process.env.DATABASE_READ_MAX_LAG_SECONDS;
    resetEnvCache();
  }

  beforeAll(async () => {
    try {
      dir = await mkdtemp(path.join(os.tmpdir(), 'tl-replica-'));
      await chown(dir, PG_USER!.uid, PG_USER!.gid);
      ports.primary = await freePort();
      ports.replica = await freePort();
      await pgTool('initdb', ['-D', path.join(dir, 'p'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
      await appendFile(
        path.join(dir, 'p', 'postgresql.conf'),
        `port=${ports.primary}\nlisten_addresses='127.0.0.1'\nunix_socket_directories='${dir}'\nwal_level=replica\nmax_wal_senders=4\nfsync=off\n`,
      );
      await appendFile(path.join(dir, 'p', 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
      await startServer('p');
      await pgTool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(ports.primary), '-U', 'postgres', '-D', path.join(dir, 'r'), '-R', '--no-sync']);
      await appendFile(path.join(dir, 'r', 'postgresql.conf'), `port=${ports.replica}\n`);
      await startServer('r');

      await query(url(ports.primary, 'postgres'), 'CREATE DATABASE throughline');
      // Commits outside the app's schema (see freshCommit).
      await query(url(ports.primary, 'postgres'), 'CREATE TABLE beat (at timestamptz)');
      await applyMigrations(url(ports.primary));
      await disconnectDb();
      process.env.DATABASE_URL = url(ports.primary);
      process.env.DATABASE_READ_URL = url(ports.replica);
      resetEnvCache();
      org = await plantDataset();
      await rebuildOrgRollups(org, new Date('2026-03-20T00:00:00Z'));
    } catch (error) {
      await cleanUp();
      throw error;
    }
  });
  afterAll(cleanUp);

  const withMaxLag = (seconds: number) => {
    process.env.DATABASE_READ_MAX_LAG_SECONDS = String(seconds);
    resetEnvCache();
  };
  /** Which server readDb sends a read to right now. */
  const servedBy = () => readDb(async (client) => ((await client.$queryRaw<{ r: boolean }[]>`SELECT pg_is_in_recovery() AS r`)[0]!.r ? 'replica' : 'primary'));
  /** W2's merged PRs, org-wide, as the dashboard reads them. */
  const readMerged = async () => (await readWeekFigures(org, ORG_SCOPE, WEEKS)).get(W2)?.prsMerged;
  /** The same figure computed on the primary: the truth. */
  const primaryMerged = async () =>
    (await computeWeeks({ db: db(), orgId: org.id, timeZone: 'UTC', cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: [W2] })).get(ORG_SCOPE)?.get(W2)?.prsMerged;
  /** Ann merges another PR in W2, on the primary. */
  const mergeAnotherPr = async () => {
    const repo = await db().repository.findFirstOrThrow({ where: { orgId: org.id, name: 'r1' } });
    const ann = await db().person.findFirstOrThrow({ where: { orgId: org.id, displayName: 'Ann' } });
    await db().pullRequest.create({
      data: { orgId: org.id, repositoryId: repo.id, number: nextNumber++, title: 'late', authorId: ann.id, state: 'merged', createdAt: new Date('2026-03-11T09:00:00Z'), mergedAt: new Date('2026-03-12T09:00:00Z') },
    });
  };
  /**
   * A commit on the primary, replayed by the replica before this returns: the replica's last
   * replayed transaction is then recent, so its measured lag starts near zero when replay pauses.
   */
  const freshCommit = async () => {
    await query(url(ports.primary, 'postgres'), 'INSERT INTO beat VALUES (now())');
    // After the commit (a RETURNING would give a position before its commit record).
    const [row] = await query<{ lsn: string }>(url(ports.primary, 'postgres'), 'SELECT pg_current_wal_lsn()::text AS lsn');
    await poll('replica replaying the commit', () => query<{ done: boolean }>(url(ports.replica, 'postgres'), `SELECT pg_last_wal_replay_lsn() >= '${row!.lsn}'::pg_lsn AS done`), (rows) => rows[0]!.done);
  };
  const pauseReplay = async () => {
    await query(url(ports.replica, 'postgres'), 'SELECT pg_wal_replay_pause()');
    // The request takes effect at the next record boundary: wait for it, or the write below could still replay.
    await poll('replay pausing', () => query<{ state: string }>(url(ports.replica, 'postgres'), 'SELECT pg_get_wal_replay_pause_state() AS state'), (rows) => rows[0]!.state === 'paused');
  };
  const resumeReplay = () => query(url(ports.replica, 'postgres'), 'SELECT pg_wal_replay_resume()');

  test('the weekly figures come from the replica: with its replay paused it gives its older answer', async () => {
    withMaxLag(60);
    expect(await poll('routing to the replica', servedBy, (s) => s === 'replica')).toBe('replica');
    const before = await readMerged();
    expect(before).toBe(1); // P8 (docs: test/planted-metrics.ts)
    expect(before).toBe(await primaryMerged());

    await freshCommit();
    await pauseReplay();
    try {
      await mergeAnotherPr();
      expect(await primaryMerged()).toBe(2);
      // Only the paused replica can still answer 1: the primary has the new PR (and its marked days).
      expect(await readMerged()).toBe(1);
      expect(await servedBy()).toBe('replica');
    } finally {
      await resumeReplay();
    }
    expect(await poll('the replica catching up', readMerged, (n) => n === 2)).toBe(2);
    expect(await servedBy()).toBe('replica');
  });

  test('past the lag bound reads go to the primary and show the new figure; after resuming, back to the replica', async () => {
    const maxLagMs = 2_000;
    withMaxLag(maxLagMs / 1000);
    await poll('routing to the replica', servedBy, (s) => s === 'replica');
    await freshCommit();
    await pauseReplay();
    const expected = (await primaryMerged())! + 1;
    await mergeAnotherPr();
    const wrote = performance.now();
    // Until the bound has passed since the write a read may miss it; once it has, none may.
    let staleReads = 0;
    await poll('a read showing the new PR', async () => {
      const startedAfterMs = performance.now() - wrote;
      const merged = await readMerged();
      if (startedAfterMs > maxLagMs) expect(merged, `a read ${Math.round(startedAfterMs)} ms after the write`).toBe(expected);
      if (merged !== expected) staleReads++;
      return merged;
    }, (n) => n === expected);
    // Replay is still paused: only the primary has the PR.
    expect(await servedBy()).toBe('primary');
    expect(await query(url(ports.replica), `SELECT 1 FROM "PullRequest" WHERE "orgId" = '${org.id}' AND number = ${nextNumber - 1}`)).toEqual([]);
    console.info(`reads that missed the write within the ${maxLagMs} ms bound: ${staleReads}`);

    await resumeReplay();
    await poll('routing back to the replica', servedBy, (s) => s === 'replica');
    expect(await readMerged()).toBe(expected);
  });

  test('a replica that goes down: reads fall back to the primary without an error, one warning; back when it returns', async () => {
    withMaxLag(2);
    await poll('routing to the replica', servedBy, (s) => s === 'replica');
    const expected = await primaryMerged();
    const warn = vi.spyOn(log, 'warn');
    try {
      await stopServer('r', 'fast');
      // The first read still goes to the replica (its last measurement is fresh), fails there, and the primary answers.
      expect(await readMerged()).toBe(expected);
      expect(await servedBy()).toBe('primary');
      // Past the next measurement (which fails too): still the primary, still one warning.
      const until = performance.now() + 1_500;
      while (performance.now() < until) {
        expect(await readMerged()).toBe(expected);
        await sleep(100);
      }
      expect(await servedBy()).toBe('primary');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![1]).toMatch(/read replica unusable/);
    } finally {
      warn.mockRestore();
    }
    await startServer('r');
    await poll('routing back to the replica', servedBy, (s) => s === 'replica');
    expect(await readMerged()).toBe(expected);
  });
});
