// Fault suite (`npm run test:faults`): "nothing acknowledged is ever lost".
//
// Builds a PostgreSQL of its own on a loopback port (as the `postgres` user, via runuser), migrates
// it, makes an org with a GitHub webhook secret, then runs the product as deployed: `throughline
// serve --no-build` (ingest-only, THROUGHLINE_NEXT=0: the webhook fast path needs no Next build)
// and a separate `throughline worker`. Signed GitHub deliveries (the octokit example payloads, each
// pull request's whole life, scripts/bench-processing-life.ts) go out at RATE/s from clients that
// retry on anything but a 2xx, as a sender redelivers. Meanwhile it
//   (a) SIGKILLs the server process and starts it again,
//   (b) restarts PostgreSQL (pg_ctl stop -m fast, down FAULTS_PG_DOWN_SECONDS, start),
//   (c) SIGKILLs the worker while it is handling a batch and starts it again.
// Then every acknowledged delivery must be in the raw log exactly once and processed, and the rows
// derived from them must equal a clean run of the same deliveries into a second fresh database.
// Fails on lost > 0, duplicates > 0, a 5xx while PostgreSQL restarts, or derived rows that differ.
//
// Knobs: FAULTS_SECONDS (load, default 20), FAULTS_RATE (default 200), FAULTS_PG_DOWN_SECONDS
// (default 10; the issue's worst case is 60). Skips (exit 0, with a message) when not root or
// PostgreSQL's server binaries are missing. Everything it starts is stopped and its temp folder
// removed, on failure too.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import pg from 'pg';
import { lifeOf } from './bench-processing-life.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.FAULTS_SECONDS ?? 20);
const RATE = Number(process.env.FAULTS_RATE ?? 200);
const PG_DOWN_SECONDS = Number(process.env.FAULTS_PG_DOWN_SECONDS ?? 10);
const LEASE_SECONDS = 10; // a killed worker's claims come back after this (THROUGHLINE_WORKER_LEASE_SECONDS)
const started = Date.now();
const t = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
const say = (message: string) => console.log(`[faults ${t()}] ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function findPgBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin/initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

const pgBin = findPgBin();
if (process.getuid?.() !== 0 || !pgBin || !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) {
  console.log(`[faults] SKIPPED: needs root, runuser and PostgreSQL's server binaries under /usr/lib/postgresql/*/bin (root: ${process.getuid?.() === 0}, binaries: ${pgBin ?? 'none'})`);
  process.exit(0);
}

const DERIVED_TABLES = ['Repository', 'Person', 'Identity', 'PullRequest', 'Commit', 'PullRequestCommit', 'Review', 'ReviewComment', 'CiRun', 'Deployment', 'Ticket', 'TicketPullRequestLink'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- everything started here, stopped in cleanup() ----
const work = mkdtempSync(path.join(tmpdir(), 'tl-faults-'));
chmodSync(work, 0o755);
const pgData = path.join(work, 'pg');
const pgSock = path.join(work, 'sock');
const pgLog = path.join(pgSock, 'pg.log'); // in a folder the postgres user owns
const children = new Set<ChildProcess>();
let pgStarted = false;
let cleaned = false;

function pgUid(): { uid: number; gid: number } {
  return { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) };
}

function asPostgres(bin: string, args: string[]): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', path.join(pgBin!, bin), ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) killTree(child.pid!, 'SIGKILL');
  if (pgStarted) {
    try {
      asPostgres('pg_ctl', ['-D', pgData, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
  }
  rmSync(work, { recursive: true, force: true });
}

/** Kills a process and the children it started (serve's web server), by pid. */
function killTree(pid: number, signal: NodeJS.Signals): void {
  for (const child of childPids(pid)) killTree(child, signal);
  try {
    process.kill(pid, signal);
  } catch {
    // gone
  }
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

// A hard bound on the whole run, whatever hangs.
const TIMEOUT_SECONDS = Number(process.env.FAULTS_TIMEOUT_SECONDS ?? 600);
setTimeout(() => {
  console.error(`[faults] FAIL: still running after ${TIMEOUT_SECONDS} s (FAULTS_TIMEOUT_SECONDS)`);
  cleanup();
  process.exit(1);
}, TIMEOUT_SECONDS * 1000).unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(1);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---- PostgreSQL ----
const pgPort = await freePort();
const httpPort = await freePort();
const adminUrl = `postgresql://postgres@127.0.0.1:${pgPort}/postgres`;
const faultsUrl = `postgresql://postgres@127.0.0.1:${pgPort}/faults`;
const cleanUrl = `postgresql://postgres@127.0.0.1:${pgPort}/clean`;
const secretKey = randomBytes(32).toString('base64');
const spoolDir = path.join(work, 'spool');
const logFile = path.join(work, 'processes.log');

function startPg(): void {
  asPostgres('pg_ctl', ['-D', pgData, '-l', pgLog, '-w', '-t', '60', 'start']);
  pgStarted = true;
}

function stopPg(): void {
  asPostgres('pg_ctl', ['-D', pgData, '-m', 'fast', '-w', '-t', '60', 'stop']);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function cli(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [path.join(ROOT, 'bin/throughline.js'), ...args], { cwd: ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

function baseEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: faultsUrl,
    THROUGHLINE_SECRET_KEY: secretKey,
    THROUGHLINE_DATA_DIR: path.join(work, 'data'),
    THROUGHLINE_SPOOL_DIR: spoolDir,
    THROUGHLINE_WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
    NEXT_TELEMETRY_DISABLED: '1',
    LOG_LEVEL: 'warn',
  };
}

function spawnCli(name: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/throughline.js'), ...args], { cwd: ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const tag = (line: string) => `${t()} ${name}[${child.pid}] ${line}\n`;
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => appendFileSync(logFile, chunk.split('\n').filter(Boolean).map(tag).join('')));
  }
  child.on('exit', (code, signal) => {
    children.delete(child);
    appendFileSync(logFile, tag(`exited (${code ?? signal})`));
  });
  return child;
}

// ---- deliveries ----
const total = Math.round(RATE * SECONDS);
const perPr = lifeOf(1).length;
const BLOCK = 50;
interface Delivery {
  id: string;
  eventType: string;
  body: string;
  signature?: string;
}
const lives = new Map<number, ReturnType<typeof lifeOf>>();
const deliveries: Delivery[] = Array.from({ length: total }, (_, i) => {
  // A pull request's deliveries go out BLOCK apart, in the order GitHub sends them.
  const block = Math.floor(i / (BLOCK * perPr));
  const within = i % (BLOCK * perPr);
  const pr = block * BLOCK + (within % BLOCK) + 1;
  if (!lives.has(pr)) lives.set(pr, lifeOf(pr));
  const { eventType, payload } = lives.get(pr)![Math.floor(within / BLOCK)]!;
  return { id: `faults-${i}`, eventType, body: JSON.stringify(payload) };
});

interface Outcome {
  acked?: number; // status
  spooled?: boolean;
  attempts: number;
  fiveXx: number;
  errors: number;
}
const outcomes = new Map<string, Outcome>();
const fiveXxTimes: number[] = [];

function post(agent: http.Agent, d: Delivery): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port: httpPort,
        method: 'POST',
        path: '/api/orgs/faults/webhooks/github',
        headers: { 'content-type': 'application/json', 'x-github-event': d.eventType, 'x-github-delivery': d.id, 'x-hub-signature-256': d.signature!, 'content-length': Buffer.byteLength(d.body) },
        timeout: 15_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(d.body);
  });
}

/** Sends one delivery until it is acknowledged (2xx), backing off like a redelivering sender. */
async function deliver(agent: http.Agent, d: Delivery, giveUpAt: number): Promise<void> {
  const outcome: Outcome = { attempts: 0, fiveXx: 0, errors: 0 };
  outcomes.set(d.id, outcome);
  for (let wait = 200; Date.now() < giveUpAt; wait = Math.min(2000, wait * 2)) {
    outcome.attempts++;
    try {
      const { status, body } = await post(agent, d);
      if (status >= 200 && status < 300) {
        outcome.acked = status;
        outcome.spooled = body.includes('"spooled":true');
        return;
      }
      if (status >= 500) {
        outcome.fiveXx++;
        fiveXxTimes.push(Date.now());
      } else outcome.errors++;
    } catch {
      outcome.errors++;
    }
    await sleep(wait);
  }
}

// ---- the run ----
let failed = false;
try {
  say(`PostgreSQL ${path.basename(path.dirname(pgBin))} on 127.0.0.1:${pgPort}; server on :${httpPort}; ${total} deliveries at ${RATE}/s; PostgreSQL down ${PG_DOWN_SECONDS}s; work dir ${work}`);
  const { uid, gid } = pgUid();
  for (const dir of [pgData, pgSock]) {
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, uid, gid);
  }
  asPostgres('initdb', ['-D', pgData, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  appendFileSync(path.join(pgData, 'postgresql.conf'), `\nport = ${pgPort}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${pgSock}'\nmax_connections = 100\n`);
  startPg();
  await query(adminUrl, 'CREATE DATABASE faults');
  cli(['db', 'migrate'], {});
  // The clean run's database: the same schema, nothing else.
  await query(adminUrl, 'CREATE DATABASE clean TEMPLATE faults');
  cli(['org', 'create', 'faults', '--name', 'Faults'], {});
  const secret = /Secret:\s+(\S+)/.exec(cli(['webhook', 'secret', '--org', 'faults', '--source', 'github'], {}))![1]!;
  for (const d of deliveries) d.signature = await sign(secret, d.body);
  say('database migrated; org "faults" with a GitHub secret');

  const serverEnv = { THROUGHLINE_WORKER: '0', THROUGHLINE_NEXT: '0', DATABASE_POOL_MAX: '10' };
  const startServer = () => spawnCli('serve', ['serve', '--no-build', '--port', String(httpPort), '--host', '127.0.0.1'], serverEnv);
  const startWorkerProcess = () => spawnCli('worker', ['worker'], {});
  const waitHealthy = async () => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
      if ((await fetch(`http://127.0.0.1:${httpPort}/api/health`).catch(() => null))?.ok) return;
    }
    throw new Error('server did not become healthy within 60 s');
  };
  let server = startServer();
  let worker = startWorkerProcess();
  await waitHealthy();
  say('server and worker up');

  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  // Warm-up: the first deliveries one by one (the server loads the receiver's modules on the first).
  const WARM_UP = 20;
  for (let i = 0; i < WARM_UP; i++) await deliver(agent, deliveries[i]!, Date.now() + 60_000);
  say(`warmed up with ${WARM_UP} deliveries; load starts`);
  const loadEnds = Date.now() + SECONDS * 1000;
  const giveUpAt = loadEnds + 60_000;
  const inFlight: Promise<void>[] = [];
  const load = (async () => {
    const t0 = performance.now();
    for (let i = WARM_UP; i < total; i++) {
      const wait = t0 + ((i - WARM_UP) * 1000) / RATE - performance.now();
      if (wait > 1) await sleep(wait);
      inFlight.push(deliver(agent, deliveries[i]!, giveUpAt));
    }
  })();
  const ackedSoFar = () => [...outcomes.values()].filter((o) => o.acked).length;

  // (a) the server, SIGKILLed mid-load: the process that acknowledges (serve's web server child).
  await sleep(SECONDS * 1000 * 0.12);
  const web = childPids(server.pid!)[0];
  if (!web) throw new Error('serve has no web server child');
  say(`(a) SIGKILL the server (pid ${web}) with ${ackedSoFar()} acknowledged`);
  process.kill(web, 'SIGKILL');
  await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
  server = startServer();
  await waitHealthy();
  say('(a) server back');

  // (b) PostgreSQL restarted: down PG_DOWN_SECONDS.
  await sleep(3000);
  const pgDownFrom = Date.now();
  say(`(b) pg_ctl stop -m fast with ${ackedSoFar()} acknowledged`);
  stopPg();
  await sleep(PG_DOWN_SECONDS * 1000);
  startPg();
  const pgUpAt = Date.now();
  const spooled = existsSync(spoolDir) ? readdirSync(spoolDir) : [];
  say(`(b) PostgreSQL back after ${((pgUpAt - pgDownFrom) / 1000).toFixed(1)}s; spool holds ${spooled.length} segment(s)`);

  // (c) the worker, SIGKILLed while it handles a batch (the backlog of the outage is being processed).
  for (let i = 0; i < 100; i++) {
    const n = (await query<{ n: number }>(faultsUrl, `SELECT count(*)::int AS n FROM "RawEvent" WHERE "nextAttemptAt" > now() AND status = 'pending' AND attempts > 0`))[0]!.n;
    if (n > 0) break;
    await sleep(50);
  }
  if (worker.exitCode !== null || worker.signalCode !== null) throw new Error(`the worker exited on its own (${worker.exitCode ?? worker.signalCode})`);
  say(`(c) SIGKILL the worker (pid ${worker.pid}) mid-batch`);
  process.kill(worker.pid!, 'SIGKILL');
  await new Promise((r) => (worker.exitCode !== null || worker.signalCode !== null ? r(null) : worker.once('exit', r)));
  await sleep(1000);
  worker = startWorkerProcess();
  say('(c) worker back');

  await load;
  await Promise.all(inFlight);
  agent.destroy();
  say(`load done: ${ackedSoFar()} of ${total} acknowledged`);

  // ---- settle: every stored event processed (or ignored) ----
  const orgId = (await query<{ id: string }>(faultsUrl, `SELECT id FROM "Organization" WHERE slug = 'faults'`))[0]!.id;
  let retriedEarly = 0;
  // Fails when nothing moves for a minute (the whole run is bounded by FAULTS_TIMEOUT_SECONDS).
  let lastOpen = Infinity;
  for (let deadline = Date.now() + 60_000; ; await sleep(500)) {
    const spoolLeft = existsSync(spoolDir) ? readdirSync(spoolDir).filter((f) => !f.startsWith('rejected')).length : 0;
    const [s] = await query<{ stored: number; open: number; failed: number }>(
      faultsUrl,
      `SELECT count(*)::int AS stored, count(*) FILTER (WHERE status = 'pending')::int AS open, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM "RawEvent" WHERE "orgId" = $1`,
      [orgId],
    );
    if (s!.open === 0 && s!.failed === 0 && spoolLeft === 0) break;
    if (s!.open < lastOpen) [lastOpen, deadline] = [s!.open, Date.now() + 60_000];
    if (Date.now() > deadline) {
      const byStatus = await query(faultsUrl, `SELECT status, attempts, count(*)::int AS n, count(*) FILTER (WHERE "nextAttemptAt" > now())::int AS not_due FROM "RawEvent" GROUP BY 1, 2 ORDER BY 1, 2`);
      const sessions = await query(faultsUrl, `SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS in_xact, left(query, 120) AS query FROM pg_stat_activity WHERE datname = 'faults' AND pid <> pg_backend_pid()`);
      console.error(JSON.stringify({ byStatus, sessions }, null, 1));
      throw new Error(`not settled (no progress for 60 s): ${JSON.stringify({ ...s, spoolLeft })}`);
    }
    // An event handled before what it refers to (a review whose pull request was still in the
    // spool) failed and waits 30 s+ for its retry: make it due now, as `throughline events --retry` does.
    if (s!.failed > 0 && s!.open === 0) {
      const rows = await query(faultsUrl, `UPDATE "RawEvent" SET "nextAttemptAt" = now() WHERE "orgId" = $1 AND status = 'failed' RETURNING 1`, [orgId]);
      retriedEarly += rows.length;
    }
  }
  say(`settled${retriedEarly ? ` (${retriedEarly} failed-for-retry events made due early)` : ''}`);

  // ---- verdict ----
  const raw = await query<{ deliveryId: string; status: string; n: number }>(
    faultsUrl,
    `SELECT "deliveryId", min(status::text) AS status, count(*)::int AS n FROM "RawEvent" WHERE "orgId" = $1 GROUP BY "deliveryId"`,
    [orgId],
  );
  const rawById = new Map(raw.map((r) => [r.deliveryId, r]));
  const acked = [...outcomes.entries()].filter(([, o]) => o.acked).map(([id]) => id);
  const lost = acked.filter((id) => !rawById.has(id));
  const duplicates = raw.reduce((sum, r) => sum + r.n - 1, 0);
  const processed = raw.filter((r) => r.status === 'processed' || r.status === 'ignored').length;
  const unprocessed = acked.filter((id) => rawById.has(id) && !['processed', 'ignored'].includes(rawById.get(id)!.status));
  const fiveXx = [...outcomes.values()].reduce((sum, o) => sum + o.fiveXx, 0);
  const fiveXxDuringPg = fiveXxTimes.filter((at) => at >= pgDownFrom && at <= pgUpAt + 10_000).length;
  const connectionErrors = [...outcomes.values()].reduce((sum, o) => sum + o.errors, 0);
  const spooledAcks = [...outcomes.values()].filter((o) => o.spooled).length;

  // ---- the clean run: the same deliveries, once each, in order, into the second database ----
  process.env.DATABASE_URL = cleanUrl;
  process.env.THROUGHLINE_SECRET_KEY = secretKey;
  process.env.LOG_LEVEL = 'warn';
  const { db, disconnectDb } = await import('../lib/db/client.ts');
  const { storeRawEvent } = await import('../lib/ingest/raw-events.ts');
  const { processPendingEvents } = await import('../lib/ingest/worker.ts');
  const cleanOrg = await db().organization.create({ data: { slug: 'faults', name: 'Faults' } });
  const storedIds = new Set(raw.map((r) => r.deliveryId));
  for (const d of deliveries) {
    if (!storedIds.has(d.id)) continue;
    await storeRawEvent({ orgId: cleanOrg.id, source: 'github', deliveryId: d.id, eventType: d.eventType, headers: {}, payload: JSON.parse(d.body) });
  }
  for (let pass = 0; pass < 10; pass++) {
    await Promise.all([1, 2, 3, 4].map(() => processPendingEvents()));
    const due = await db().rawEvent.updateMany({ where: { orgId: cleanOrg.id, status: 'failed' }, data: { nextAttemptAt: new Date(0) } });
    if (due.count === 0) break;
  }
  await disconnectDb();
  const faultRows = await derivedDigest(faultsUrl, orgId);
  const cleanRows = await derivedDigest(cleanUrl, cleanOrg.id);

  console.log('\n=== fault suite ===');
  console.log(`sent ${total}  acked ${acked.length} (${spooledAcks} of them spooled while PostgreSQL was down)  5xx ${fiveXx} (during the PostgreSQL restart: ${fiveXxDuringPg})  connection errors/retries ${connectionErrors}`);
  console.log(`stored ${raw.length}  processed ${processed}  duplicates ${duplicates}  lost ${lost.length}  acked-but-unprocessed ${unprocessed.length}`);
  console.log('derived rows (fault run | clean run):');
  let derivedDiffer = false;
  for (const table of Object.keys(cleanRows)) {
    const a = faultRows[table]!;
    const b = cleanRows[table]!;
    const same = a.count === b.count && a.digest === b.digest;
    derivedDiffer ||= !same;
    console.log(`  ${table.padEnd(22)} ${String(a.count).padStart(6)} | ${String(b.count).padStart(6)}  ${same ? 'same' : `DIFFER (${a.digest.slice(0, 12)} vs ${b.digest.slice(0, 12)})`}`);
  }
  const problems = [
    lost.length > 0 && `${lost.length} acknowledged deliveries lost (e.g. ${lost.slice(0, 5).join(', ')})`,
    duplicates > 0 && `${duplicates} duplicate raw events`,
    unprocessed.length > 0 && `${unprocessed.length} acknowledged deliveries not processed`,
    fiveXxDuringPg > 0 && `${fiveXxDuringPg} 5xx answers during the PostgreSQL restart`,
    acked.length < total && `${total - acked.length} deliveries never acknowledged (retried for 60 s)`,
    derivedDiffer && 'derived rows differ from the clean run',
  ].filter(Boolean);
  if (problems.length) {
    failed = true;
    console.log(`\nFAIL: ${problems.join('; ')}`);
  } else console.log(`\nPASS: nothing acknowledged was lost or applied twice (${((Date.now() - started) / 1000).toFixed(0)} s)`);
} catch (error) {
  failed = true;
  console.error(`[faults] FAIL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (existsSync(logFile)) console.error(`--- last process log lines ---\n${readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')}`);
} finally {
  // The processes' output, kept for a look after a failure (the work folder is removed).
  const kept = path.join(tmpdir(), 'tl-faults-last.log');
  if (existsSync(logFile)) {
    execFileSync('cp', [logFile, kept]);
    if (failed) console.log(`process logs kept in ${kept}`);
  }
  cleanup();
}
process.exit(failed ? 1 : 0);

// ---- derived rows: counts and a digest of their columns, comparable across databases ----

/**
 * Per derived table: row count and a digest of every row, where generated ids are replaced by the
 * referenced row's own content (so links are compared, not random uuids) and times the database
 * stamped on insert (within the last day; the payloads are dated months back) are left out.
 */
async function derivedDigest(url: string, orgId: string): Promise<Record<string, { count: number; digest: string }>> {
  const tables = new Map<string, Record<string, unknown>[]>();
  const existing = new Set((await query<{ table_name: string }>(url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).map((r) => r.table_name));
  for (const table of DERIVED_TABLES.filter((name) => existing.has(name))) {
    tables.set(table, (await query<{ row: Record<string, unknown> }>(url, `SELECT to_jsonb(t) AS row FROM "${table}" t WHERE "orgId" = $1`, [orgId])).map((r) => r.row));
  }
  const recent = Date.now() - 86_400_000;
  const own = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).filter(([key, value]) => key !== 'orgId' && !(typeof value === 'string' && (UUID.test(value) || (/^\d{4}-\d\d-\d\dT/.test(value) && Date.parse(value) > recent)))),
    );
  const label = new Map<string, string>();
  for (const rows of tables.values()) for (const row of rows) if (typeof row.id === 'string') label.set(row.id, JSON.stringify(sortKeys(own(row))));
  const result: Record<string, { count: number; digest: string }> = {};
  for (const [table, rows] of tables) {
    const lines = rows
      .map((row) => {
        const linked = Object.fromEntries(
          Object.entries(row)
            .filter(([key]) => key !== 'id' && key !== 'orgId')
            .map(([key, value]) => [key, typeof value === 'string' && UUID.test(value) ? `→${label.get(value) ?? '?'}` : value])
            .filter(([, value]) => !(typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) && Date.parse(value) > recent)),
        );
        return JSON.stringify(sortKeys(linked));
      })
      .sort();
    result[table] = { count: rows.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return result;
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}
