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
// Then a multi-node phase, without faults: on a fresh database, two ingest servers and two workers
// take the first FAULTS_NODES_SECONDS of the same deliveries, split between the servers and a
// share sent to both (same delivery id); every delivery id must be stored once, processed, and by
// one handler run only (see multiNodePhase), and the rows equal the clean run's after as many.
//
// Knobs: FAULTS_SECONDS (load, default 20), FAULTS_RATE (default 200), FAULTS_PG_DOWN_SECONDS
// (default 10; the issue's worst case is 60), FAULTS_NODES_SECONDS (default 10). Skips (exit 0,
// with a message) when not root or PostgreSQL's server binaries are missing. Everything it starts
// is stopped and its temp folder removed, on failure too.
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
const NODES_SECONDS = Number(process.env.FAULTS_NODES_SECONDS ?? 10);
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
const nodesUrl = `postgresql://postgres@127.0.0.1:${pgPort}/nodes`;
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
// The multi-node phase sends the first of the same deliveries: NODES_SECONDS at RATE.
const nodesTotal = Math.min(total, Math.round(RATE * NODES_SECONDS));
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

/** One delivery sent to one server, retried until acknowledged. */
interface Outcome {
  id: string;
  port: number;
  acked?: number; // status
  spooled?: boolean;
  attempts: number;
  fiveXx: number;
  errors: number;
}
const fiveXxTimes: number[] = [];
const WARM_UP = 20;

function post(agent: http.Agent, port: number, d: Delivery): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
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

/** Sends one delivery to the server on `port` until it is acknowledged (2xx), backing off like a redelivering sender. */
async function deliver(agent: http.Agent, port: number, d: Delivery, giveUpAt: number, outcomes: Outcome[]): Promise<void> {
  const outcome: Outcome = { id: d.id, port, attempts: 0, fiveXx: 0, errors: 0 };
  outcomes.push(outcome);
  for (let wait = 200; Date.now() < giveUpAt; wait = Math.min(2000, wait * 2)) {
    outcome.attempts++;
    try {
      const { status, body } = await post(agent, port, d);
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

// ---- processes ----
function startServer(name: string, port: number, url: string): ChildProcess {
  return spawnCli(name, ['serve', '--no-build', '--port', String(port), '--host', '127.0.0.1'], { DATABASE_URL: url, THROUGHLINE_WORKER: '0', THROUGHLINE_NEXT: '0', DATABASE_POOL_MAX: '10' });
}

async function waitHealthy(port: number): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
    if ((await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok) return;
  }
  throw new Error(`server on :${port} did not become healthy within 60 s`);
}

const exited = (child: ChildProcess) => new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));

/** Ends a phase's process (and serve's web server child). */
async function stop(child: ChildProcess): Promise<void> {
  killTree(child.pid!, 'SIGKILL');
  await exited(child);
}

/** Waits until every stored event is processed (or ignored) and the spool is empty; returns how many failed events it made due early. */
async function settle(url: string, orgId: string): Promise<number> {
  let retriedEarly = 0;
  // Fails when nothing moves for a minute (the whole run is bounded by FAULTS_TIMEOUT_SECONDS).
  let lastOpen = Infinity;
  for (let deadline = Date.now() + 60_000; ; await sleep(500)) {
    const spoolLeft = existsSync(spoolDir) ? readdirSync(spoolDir).filter((f) => !f.startsWith('rejected')).length : 0;
    const [s] = await query<{ stored: number; open: number; failed: number }>(
      url,
      `SELECT count(*)::int AS stored, count(*) FILTER (WHERE status = 'pending')::int AS open, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM "RawEvent" WHERE "orgId" = $1`,
      [orgId],
    );
    if (s!.open === 0 && s!.failed === 0 && spoolLeft === 0) return retriedEarly;
    if (s!.open < lastOpen) [lastOpen, deadline] = [s!.open, Date.now() + 60_000];
    if (Date.now() > deadline) {
      const byStatus = await query(url, `SELECT status, attempts, count(*)::int AS n, count(*) FILTER (WHERE "nextAttemptAt" > now())::int AS not_due FROM "RawEvent" GROUP BY 1, 2 ORDER BY 1, 2`);
      const sessions = await query(url, `SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS in_xact, left(query, 120) AS query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      console.error(JSON.stringify({ byStatus, sessions }, null, 1));
      throw new Error(`not settled (no progress for 60 s): ${JSON.stringify({ ...s, spoolLeft })}`);
    }
    // An event handled before what it refers to (a comment whose pull request was still in the
    // spool, or being handled by the other worker) failed and waits 30 s+ for its retry: make it
    // due now, as `throughline events --retry` does.
    if (s!.failed > 0 && s!.open === 0) {
      const rows = await query(url, `UPDATE "RawEvent" SET "nextAttemptAt" = now() WHERE "orgId" = $1 AND status = 'failed' RETURNING 1`, [orgId]);
      retriedEarly += rows.length;
    }
  }
}

/** What the raw log holds of the acknowledged deliveries: each exactly once, and processed. */
async function rawVerdict(url: string, orgId: string, outcomes: Outcome[]) {
  const raw = await query<{ deliveryId: string; status: string; n: number }>(
    url,
    `SELECT "deliveryId", min(status::text) AS status, count(*)::int AS n FROM "RawEvent" WHERE "orgId" = $1 GROUP BY "deliveryId"`,
    [orgId],
  );
  const rawById = new Map(raw.map((r) => [r.deliveryId, r]));
  const acked = [...new Set(outcomes.filter((o) => o.acked).map((o) => o.id))];
  const done = (id: string) => ['processed', 'ignored'].includes(rawById.get(id)?.status ?? '');
  return {
    raw,
    acked,
    lost: acked.filter((id) => !rawById.has(id)),
    duplicates: raw.reduce((sum, r) => sum + r.n - 1, 0),
    processed: raw.filter((r) => done(r.deliveryId)).length,
    unprocessed: acked.filter((id) => rawById.has(id) && !done(id)),
  };
}

/** Prints derived rows against the clean run's; true when every table is the same. */
function sameDerived(run: Derived, clean: Derived, label: string): boolean {
  console.log(`derived rows (${label} | clean run):`);
  let same = true;
  for (const table of Object.keys(clean)) {
    const a = run[table]!;
    const b = clean[table]!;
    const equal = a.count === b.count && a.digest === b.digest;
    same &&= equal;
    console.log(`  ${table.padEnd(22)} ${String(a.count).padStart(6)} | ${String(b.count).padStart(6)}  ${equal ? 'same' : `DIFFER (${a.digest.slice(0, 12)} vs ${b.digest.slice(0, 12)})`}`);
    if (!equal) {
      // The first row of each side that the other lacks (sorted alike: most likely the same row), by the fields that differ.
      const [inA, inB] = [new Set(a.lines), new Set(b.lines)];
      const [rowA, rowB] = [a.lines.find((l) => !inB.has(l)), b.lines.find((l) => !inA.has(l))].map((l) => JSON.parse(l ?? '{}') as Record<string, unknown>);
      for (const key of new Set([...Object.keys(rowA!), ...Object.keys(rowB!)])) {
        const [va, vb] = [JSON.stringify(rowA![key]), JSON.stringify(rowB![key])];
        if (va !== vb) console.log(`    ${key}: ${va?.slice(0, 300)} | ${vb?.slice(0, 300)}`);
      }
    }
  }
  return same;
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
  // The multi-node phase's database: the same org and secret (so the same signatures), no events.
  await query(adminUrl, 'CREATE DATABASE nodes TEMPLATE faults');
  const orgId = (await query<{ id: string }>(faultsUrl, `SELECT id FROM "Organization" WHERE slug = 'faults'`))[0]!.id;
  say('database migrated; org "faults" with a GitHub secret');

  let server = startServer('serve', httpPort, faultsUrl);
  const startWorkerProcess = () => spawnCli('worker', ['worker'], {});
  let worker = startWorkerProcess();
  await waitHealthy(httpPort);
  say('server and worker up');

  const outcomes: Outcome[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  // Warm-up: the first deliveries one by one (the server loads the receiver's modules on the first).
  for (let i = 0; i < WARM_UP; i++) await deliver(agent, httpPort, deliveries[i]!, Date.now() + 60_000, outcomes);
  say(`warmed up with ${WARM_UP} deliveries; load starts`);
  const loadEnds = Date.now() + SECONDS * 1000;
  const giveUpAt = loadEnds + 60_000;
  const inFlight: Promise<void>[] = [];
  const load = (async () => {
    const t0 = performance.now();
    for (let i = WARM_UP; i < total; i++) {
      const wait = t0 + ((i - WARM_UP) * 1000) / RATE - performance.now();
      if (wait > 1) await sleep(wait);
      inFlight.push(deliver(agent, httpPort, deliveries[i]!, giveUpAt, outcomes));
    }
  })();
  const ackedSoFar = () => outcomes.filter((o) => o.acked).length;

  // (a) the server, SIGKILLed mid-load: the process that acknowledges (serve's web server child).
  await sleep(SECONDS * 1000 * 0.12);
  const web = childPids(server.pid!)[0];
  if (!web) throw new Error('serve has no web server child');
  say(`(a) SIGKILL the server (pid ${web}) with ${ackedSoFar()} acknowledged`);
  process.kill(web, 'SIGKILL');
  await exited(server);
  server = startServer('serve', httpPort, faultsUrl);
  await waitHealthy(httpPort);
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
  await exited(worker);
  await sleep(1000);
  worker = startWorkerProcess();
  say('(c) worker back');

  await load;
  await Promise.all(inFlight);
  agent.destroy();
  say(`load done: ${ackedSoFar()} of ${total} acknowledged`);

  const retriedEarly = await settle(faultsUrl, orgId);
  say(`settled${retriedEarly ? ` (${retriedEarly} failed-for-retry events made due early)` : ''}`);
  await Promise.all([stop(server), stop(worker)]);

  // ---- verdict ----
  const { raw, acked, lost, duplicates, processed, unprocessed } = await rawVerdict(faultsUrl, orgId, outcomes);
  const fiveXx = outcomes.reduce((sum, o) => sum + o.fiveXx, 0);
  const fiveXxDuringPg = fiveXxTimes.filter((at) => at >= pgDownFrom && at <= pgUpAt + 10_000).length;
  const connectionErrors = outcomes.reduce((sum, o) => sum + o.errors, 0);
  const spooledAcks = outcomes.filter((o) => o.spooled).length;

  // ---- the clean run: the same deliveries, once each, in order, into the second database ----
  // Its rows are taken after the multi-node phase's share of them too (the first nodesTotal).
  process.env.DATABASE_URL = cleanUrl;
  process.env.THROUGHLINE_SECRET_KEY = secretKey;
  process.env.LOG_LEVEL = 'warn';
  const { db, disconnectDb } = await import('../lib/db/client.ts');
  const { storeRawEvent } = await import('../lib/ingest/raw-events.ts');
  const { processPendingEvents } = await import('../lib/ingest/worker.ts');
  const cleanOrg = await db().organization.create({ data: { slug: 'faults', name: 'Faults' } });
  const storedIds = new Set(raw.map((r) => r.deliveryId));
  const cleanRun = async (part: Delivery[]) => {
    for (const d of part) {
      if (!storedIds.has(d.id)) continue;
      await storeRawEvent({ orgId: cleanOrg.id, source: 'github', deliveryId: d.id, eventType: d.eventType, headers: {}, payload: JSON.parse(d.body) });
    }
    for (let pass = 0; pass < 10; pass++) {
      await Promise.all([1, 2, 3, 4].map(() => processPendingEvents()));
      const due = await db().rawEvent.updateMany({ where: { orgId: cleanOrg.id, status: 'failed' }, data: { nextAttemptAt: new Date(0) } });
      if (due.count === 0) break;
    }
    return derivedDigest(cleanUrl, cleanOrg.id);
  };
  const cleanNodesRows = await cleanRun(deliveries.slice(0, nodesTotal));
  const cleanRows = await cleanRun(deliveries.slice(nodesTotal));
  await disconnectDb();

  console.log('\n=== fault suite ===');
  console.log(`sent ${total}  acked ${acked.length} (${spooledAcks} of them spooled while PostgreSQL was down)  5xx ${fiveXx} (during the PostgreSQL restart: ${fiveXxDuringPg})  connection errors/retries ${connectionErrors}`);
  console.log(`stored ${raw.length}  processed ${processed}  duplicates ${duplicates}  lost ${lost.length}  acked-but-unprocessed ${unprocessed.length}`);
  const faultDerivedSame = sameDerived(await derivedDigest(faultsUrl, orgId), cleanRows, 'fault run');
  const problems = [
    lost.length > 0 && `${lost.length} acknowledged deliveries lost (e.g. ${lost.slice(0, 5).join(', ')})`,
    duplicates > 0 && `${duplicates} duplicate raw events`,
    unprocessed.length > 0 && `${unprocessed.length} acknowledged deliveries not processed`,
    fiveXxDuringPg > 0 && `${fiveXxDuringPg} 5xx answers during the PostgreSQL restart`,
    acked.length < total && `${total - acked.length} deliveries never acknowledged (retried for 60 s)`,
    !faultDerivedSame && 'derived rows differ from the clean run',
  ].filter(Boolean);
  say(`fault phase done${problems.length ? ' with problems' : ''}; multi-node phase starts`);

  const nodesIds = new Set(deliveries.slice(0, nodesTotal).map((d) => d.id).filter((id) => storedIds.has(id)));
  problems.push(...(await multiNodePhase(orgId, nodesIds, cleanNodesRows)).map((p) => `multi-node: ${p}`));
  if (problems.length) {
    failed = true;
    console.log(`\nFAIL: ${problems.join('; ')}`);
  } else console.log(`\nPASS: nothing acknowledged was lost, skipped or applied twice (${((Date.now() - started) / 1000).toFixed(0)} s)`);
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

// ---- multi-node: two ingest servers and two workers on one database ----

/**
 * The first nodesTotal of the same deliveries (NODES_SECONDS at RATE), into a fresh database
 * (`nodes`), split between two `serve` nodes and processed by two `throughline worker`s, with no
 * fault. Every BOTH_EVERY-th delivery also goes to the other node at the same time, with the same
 * delivery id, as a load balancer retrying on another node does: the two inserts race on the raw
 * log's unique key. Compared with the clean run's rows after the same deliveries. Returns the
 * problems found.
 *
 * A trigger (on this scratch database only, not in the product's schema) logs every update of a
 * raw event with the session's application_name, which each worker's DATABASE_URL sets: so every
 * claim and every committed handler run is counted, and attributed to a worker.
 */
async function multiNodePhase(orgId: string, inCleanRun: Set<string>, cleanRows: Derived): Promise<string[]> {
  const BOTH_EVERY = 10;
  const phaseStarted = Date.now();
  // A row of the log is written in the transaction of the update it records: a handler run that
  // rolls back leaves none, one that commits leaves exactly one.
  await query(
    nodesUrl,
    `CREATE TABLE faults_audit (event_id uuid NOT NULL, worker text NOT NULL, claim boolean NOT NULL, status text NOT NULL);
     CREATE FUNCTION faults_audit() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO faults_audit VALUES (NEW.id, current_setting('application_name'), NEW.attempts > OLD.attempts, NEW.status::text);
       RETURN NULL;
     END $$;
     CREATE TRIGGER faults_audit AFTER UPDATE ON "RawEvent" FOR EACH ROW EXECUTE FUNCTION faults_audit();`,
  );
  const ports = [await freePort(), await freePort()];
  const servers = ports.map((port, i) => startServer(`serve-${i + 1}`, port, nodesUrl));
  // The product's lease (300 s, above the 60 s handler timeout): the fault phase's short one is
  // for taking back a killed worker's events, and nothing is killed here.
  const workers = [1, 2].map((n) => spawnCli(`worker-${n}`, ['worker'], { DATABASE_URL: `${nodesUrl}?application_name=worker-${n}`, THROUGHLINE_WORKER_LEASE_SECONDS: '300' }));
  await Promise.all(ports.map(waitHealthy));
  say(`multi-node: servers on :${ports.join(' and :')}, two workers up`);

  const outcomes: Outcome[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const send = (i: number, giveUpAt: number) => {
    const d = deliveries[i]!;
    const sends = [deliver(agent, ports[i % 2]!, d, giveUpAt, outcomes)];
    if (i % BOTH_EVERY === BOTH_EVERY - 1) sends.push(deliver(agent, ports[(i + 1) % 2]!, d, giveUpAt, outcomes));
    return Promise.all(sends).then(() => undefined);
  };
  for (let i = 0; i < WARM_UP; i++) await send(i, Date.now() + 60_000);
  const giveUpAt = Date.now() + NODES_SECONDS * 1000 + 60_000;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = WARM_UP; i < nodesTotal; i++) {
    const wait = t0 + ((i - WARM_UP) * 1000) / RATE - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(send(i, giveUpAt));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const loadSeconds = (performance.now() - t0) / 1000;
  say(`multi-node: load done in ${loadSeconds.toFixed(1)} s: ${outcomes.filter((o) => o.acked).length} of ${outcomes.length} sends acknowledged`);
  const retriedEarly = await settle(nodesUrl, orgId);
  const settledAfter = (Date.now() - phaseStarted) / 1000;
  say(`multi-node: settled${retriedEarly ? ` (${retriedEarly} failed-for-retry events made due early)` : ''}`);
  await Promise.all([...servers, ...workers].map(stop));

  const { raw, acked, lost, duplicates, processed, unprocessed } = await rawVerdict(nodesUrl, orgId, outcomes);
  const sendsOf = new Map<string, Outcome[]>();
  for (const o of outcomes) sendsOf.set(o.id, [...(sendsOf.get(o.id) ?? []), o]);
  const toBoth = [...sendsOf.values()].filter((sends) => sends.length === 2);
  const ackedByBoth = toBoth.filter((sends) => sends.every((o) => o.acked)).length;
  const fiveXx = outcomes.reduce((sum, o) => sum + o.fiveXx, 0);
  const retries = outcomes.reduce((sum, o) => sum + o.attempts - 1, 0);
  const perServer = ports.map((port) => outcomes.filter((o) => o.port === port && o.acked).length);
  // Per event: its attempts, the claims and committed handler runs the log saw, and the failures a
  // worker recorded (the settle loop's own updates come from a session without the name).
  const events = await query<{ attempts: number; claims: number; applied: number; failures: number; worker: string | null }>(
    nodesUrl,
    `SELECT r.attempts,
            count(a.*) FILTER (WHERE a.claim)::int AS claims,
            count(a.*) FILTER (WHERE NOT a.claim AND a.status IN ('processed', 'ignored'))::int AS applied,
            count(a.*) FILTER (WHERE NOT a.claim AND a.status = 'failed' AND a.worker LIKE 'worker-%')::int AS failures,
            min(a.worker) FILTER (WHERE NOT a.claim AND a.status IN ('processed', 'ignored')) AS worker
       FROM "RawEvent" r LEFT JOIN faults_audit a ON a.event_id = r.id
      WHERE r."orgId" = $1 GROUP BY r.id, r.attempts`,
    [orgId],
  );
  const appliedTwice = events.filter((e) => e.applied > 1).length;
  // `attempts` is raised by one statement only, the claim, and lowered only when a worker loses
  // the database mid-batch (not in this phase). An event is claimed again only after a worker
  // failed it (recorded above) or while another worker held it (a lease run out, or two claims
  // of one row): so attempts above 1 + its failures is a second claim of an event being handled,
  // the way one event would be processed twice.
  const claimedTwice = events.filter((e) => e.attempts > 1 + e.failures).length;
  const claimsCounted = events.every((e) => e.claims === e.attempts);
  const failures = events.reduce((sum, e) => sum + e.failures, 0);
  const byWorker = new Map<string, number>();
  for (const { worker } of events) if (worker) byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
  const derived = await derivedDigest(nodesUrl, orgId);
  const sameSet = raw.length === inCleanRun.size && raw.every((r) => inCleanRun.has(r.deliveryId));

  console.log('\n=== multi-node: 2 servers, 2 workers, 1 database ===');
  console.log(`sent ${nodesTotal} delivery ids at ${RATE}/s split over 2 servers, ${toBoth.length} of them to both at once (${outcomes.length} sends), in ${loadSeconds.toFixed(1)} s; all processed ${settledAfter.toFixed(1)} s after the phase began`);
  console.log(`acked ${acked.length} (by server 1: ${perServer[0]}, by server 2: ${perServer[1]}; ids acked by both: ${ackedByBoth})  5xx ${fiveXx}  retries ${retries}`);
  console.log(`stored ${raw.length} (once per delivery id; duplicates ${duplicates})  lost ${lost.length}  processed ${processed}  skipped (acked, never processed) ${unprocessed.length + lost.length}`);
  console.log(`processed twice ${appliedTwice}  claimed twice ${claimedTwice}  failed for a retry ${failures}  attempts = claims logged: ${claimsCounted}`);
  console.log(`split: ${[...byWorker].sort().map(([worker, n]) => `${worker} processed ${n}`).join(', ')}`);
  const derivedSame = sameDerived(derived, cleanRows, 'multi-node');
  return [
    acked.length < nodesTotal && `${nodesTotal - acked.length} deliveries never acknowledged`,
    ackedByBoth < toBoth.length && `${toBoth.length - ackedByBoth} deliveries sent to both servers not acknowledged by both`,
    lost.length > 0 && `${lost.length} acknowledged deliveries lost`,
    duplicates > 0 && `${duplicates} duplicate raw events`,
    unprocessed.length > 0 && `${unprocessed.length} acknowledged deliveries not processed`,
    appliedTwice > 0 && `${appliedTwice} events processed twice`,
    claimedTwice > 0 && `${claimedTwice} events claimed twice`,
    !claimsCounted && 'the audit log missed claims',
    byWorker.size < 2 && `only ${byWorker.size} worker processed events`,
    !sameSet && 'stored a different set of deliveries than the clean run (derived rows not comparable)',
    !derivedSame && 'derived rows differ from the clean run',
  ].filter((p): p is string => typeof p === 'string');
}

// ---- derived rows: counts and a digest of their columns, comparable across databases ----

/**
 * Per derived table: row count and a digest of every row, where generated ids are replaced by the
 * referenced row's own content (so links are compared, not random uuids) and times the database
 * stamped on insert (within the last day; the payloads are dated months back) are left out.
 */
type Derived = Record<string, { count: number; digest: string; lines: string[] }>;

async function derivedDigest(url: string, orgId: string): Promise<Derived> {
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
  const result: Derived = {};
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
    result[table] = { count: rows.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex'), lines };
  }
  return result;
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}
