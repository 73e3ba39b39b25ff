// The hostile-input suite (`npm run test:hostile`): every ingest endpoint of a real server gets
// HOSTILE_COUNT (default 10,000) generated and mutated requests (test/hostile/mutate.ts), plus
// fixed worst cases: bodies over the limit, a gzip bomb, nesting 200,000 deep, an XML entity bomb,
// slow bodies and bodies cut off mid-stream. Passes when no answer is a 5xx, the server never
// dies, every stored delivery was answered 2xx (a rejected request stores nothing, so changes no
// derived row), the worker settles every stored event, and the server's memory stays bounded.
// Needs DATABASE_URL (a PostgreSQL server; the suite makes and drops its own database) and a
// production build (`next build`), as `npm test` has made by the time it runs this.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { endpoints, type Endpoint, type Secrets } from './endpoints.ts';
import { samplePlans } from './mutate.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// `npm test` runs it with fewer (its chain passes a count); `npm run test:hostile` gives the full run.
const COUNT = Number(process.argv[2] ?? process.env.HOSTILE_COUNT ?? 10_000);
const SEED = Number(process.env.HOSTILE_SEED ?? 20261127);
const CONCURRENCY = 16;
const MAX_RSS_MB = Number(process.env.HOSTILE_MAX_RSS_MB ?? 1536);
const PORT = Number(process.env.HOSTILE_PORT ?? 3190);
const base = `http://127.0.0.1:${PORT}`;

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.log('hostile-input suite skipped: it needs DATABASE_URL (a PostgreSQL server)');
  process.exit(0);
}
if (!existsSync(path.join(ROOT, process.env.NEXT_DIST_DIR ?? '.next', 'BUILD_ID'))) {
  console.error('hostile-input suite: no production build; run `npx next build` first');
  process.exit(1);
}

const withDb = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
const database = `tl_hostile_${Date.now().toString(36)}`;
const url = withDb(adminUrl, database);
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${database}"`);

process.env.DATABASE_URL = url;
process.env.THROUGHLINE_SECRET_KEY ??= randomBytes(32).toString('base64');
const { resetEnvCache } = await import('../../lib/env.ts');
resetEnvCache();
const { applyMigrations } = await import('../../lib/db/migrate.ts');
const { db } = await import('../../lib/db/client.ts');
const { createOrg } = await import('../../lib/orgs/create-org.ts');
const { rotateWebhookSecret } = await import('../../lib/auth/webhook-secrets.ts');
const { createIngestToken } = await import('../../lib/auth/tokens.ts');

let server: ChildProcess | undefined;
const failures: string[] = [];

async function rssMb(pid: number): Promise<number> {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${base}/api/health`)).ok;
  } catch {
    return false;
  }
}

/** Sends raw bytes over a socket: a body cut off mid-stream, or one sent a byte at a time. */
function rawRequest(pathName: string, headers: Record<string, string>, body: Buffer, o: { declared?: number; slowMs?: number; cutAt?: number }): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(PORT, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => resolve(answer || 'socket error'));
    socket.on('close', () => resolve(answer));
    socket.setTimeout(30_000, () => socket.destroy());
    const head = [`POST ${pathName} HTTP/1.1`, `Host: 127.0.0.1:${PORT}`, `Content-Length: ${o.declared ?? body.length}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    socket.write(head);
    if (o.cutAt !== undefined) {
      socket.end(body.subarray(0, o.cutAt));
      return;
    }
    if (!o.slowMs) {
      socket.write(body);
      return;
    }
    let i = 0;
    const chunk = Math.ceil(body.length / 20);
    const timer = setInterval(() => {
      if (i >= body.length || socket.destroyed) return clearInterval(timer);
      socket.write(body.subarray(i, (i += chunk)));
    }, o.slowMs);
  });
}

try {
  await applyMigrations(url);
  const org = await createOrg({ slug: 'hostile', name: 'Hostile input' });
  const secrets: Secrets = {
    github: await rotateWebhookSecret({ orgId: org.id, source: 'github' }),
    gitlab: await rotateWebhookSecret({ orgId: org.id, source: 'gitlab' }),
    jira: await rotateWebhookSecret({ orgId: org.id, source: 'jira' }),
    linear: await rotateWebhookSecret({ orgId: org.id, source: 'linear' }),
    token: (await createIngestToken({ orgId: org.id, name: 'hostile', scopes: ['ingest:write', 'otlp:write'] })).token,
  };

  server = spawn(process.execPath, ['bin/throughline.js', 'http-server', '--port', String(PORT), '--host', '127.0.0.1'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'fatal', THROUGHLINE_WORKER: '1', THROUGHLINE_TOKEN_RATE_PER_MINUTE: '100000000', NEXT_TELEMETRY_DISABLED: '1' },
  });
  let serverDied = false;
  const onExit = (code: number | null, signal: string | null) => {
    serverDied = true;
    failures.push(`the server exited (code ${code}, signal ${signal})`);
  };
  server.on('exit', onExit);
  const deadline = Date.now() + 120_000;
  while (!(await healthy())) {
    if (Date.now() > deadline || serverDied) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  const pid = server.pid!;
  const rssStart = await rssMb(pid);
  let rssPeak = rssStart;
  const sampler = setInterval(async () => (rssPeak = Math.max(rssPeak, await rssMb(pid))), 250);

  const rows: Record<string, Record<string, string | number>> = {};
  let acknowledged = 0;
  const ackedDeliveries: { source: string; id: string }[] = [];
  const answerOf = new Map<string, string>();
  const started = Date.now();
  const only = process.env.HOSTILE_ONLY;
  for (const [e, endpoint] of endpoints().entries()) {
    if (only && !endpoint.name.includes(only)) continue;
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const plans = samplePlans(endpoint.bases, COUNT, SEED + e);
    let next = 0;
    const t = Date.now();
    const send = async () => {
      while (next < plans.length) {
        const plan = plans[next++]!;
        const { body, headers } = endpoint.request(plan, secrets);
        try {
          const res = await fetch(`${base}/api/orgs/hostile/${endpoint.path}`, {
            method: 'POST',
            headers: { ...headers, ...(body.contentType === null ? {} : { 'content-type': body.contentType }) },
            body: new Uint8Array(body.bytes),
          });
          const text = await res.text();
          count(res.status);
          if (endpoint.delivery) answerOf.set(headers[endpoint.delivery.header]!, `${res.status} ${body.note} ${text.slice(0, 120)}`);
          if (res.ok) {
            acknowledged++;
            if (endpoint.delivery) ackedDeliveries.push({ source: endpoint.delivery.source, id: headers[endpoint.delivery.header]! });
          }
          if (res.status >= 500 && bad.length < 5) bad.push(`${res.status} after ${body.note}: ${text.slice(0, 200)}`);
        } catch (error) {
          count(0);
          if (bad.length < 5) bad.push(`no answer after ${body.note}: ${(error as Error).message} (${String((error as { cause?: unknown }).cause)})`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, send));
    const special = await worstCases(endpoint, secrets, (status) => {
      count(status);
      if (status >= 200 && status < 300) acknowledged++;
    });
    const fives = [...statuses].filter(([s]) => s >= 500 || s === 0).reduce((a, [, n]) => a + n, 0);
    if (fives) failures.push(`${endpoint.name}: ${fives} answers 5xx or none — ${bad.join(' | ')}`);
    rows[endpoint.name] = {
      requests: plans.length + special,
      ...Object.fromEntries([...statuses].sort(([a], [b]) => a - b).map(([s, n]) => [s === 0 ? 'no answer' : String(s), n])),
      seconds: Number(((Date.now() - t) / 1000).toFixed(1)),
    };
    if (serverDied) break;
  }

  // Every acknowledged webhook delivery is in the raw log; nothing is in it that was not
  // acknowledged (a rejected request stores nothing, so no derived row can come from one); the
  // worker settles every stored event.
  const settleBy = Date.now() + 240_000;
  let pending = Infinity;
  while (pending > 0 && Date.now() < settleBy && !serverDied) {
    pending = await db().rawEvent.count({ where: { orgId: org.id, status: 'pending' } });
    if (pending) await new Promise((r) => setTimeout(r, 1000));
  }
  clearInterval(sampler);
  // Handlers keep markers in the log (Linear attachments: lib/tickets/link-tracker-attachments.ts);
  // they were not received, so they are left out of the comparison.
  const received = { orgId: org.id, eventType: { notIn: ['ticket.attachment', 'ticket.attachment_removed'] } };
  const byStatus = Object.fromEntries((await db().rawEvent.groupBy({ by: ['status'], where: received, _count: true })).map((g) => [g.status, g._count]));
  const inLog = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const logRows = await db().rawEvent.findMany({ where: received, select: { source: true, deliveryId: true, eventType: true, receivedAt: true } });
  const logged = new Set(logRows.map((r) => `${r.source}|${r.deliveryId}`));
  if (inLog > acknowledged) {
    const ackedIds = new Set(ackedDeliveries.map((d) => `${d.source}|${d.id}`));
    const extra = logRows.filter((r) => ['github', 'gitlab', 'jira', 'linear'].includes(r.source) && !ackedIds.has(`${r.source}|${r.deliveryId}`));
    failures.push(`the raw log holds ${inLog} events but only ${acknowledged} requests were answered 2xx; ${extra.length} webhook events not acknowledged: ${JSON.stringify(extra.slice(0, 12).map((e) => ({ ...e, answer: answerOf.get(e.deliveryId) })))}`);
  }
  const lost = ackedDeliveries.filter((d) => !logged.has(`${d.source}|${d.id}`));
  if (lost.length) failures.push(`${lost.length} acknowledged webhook deliveries are not in the raw log, e.g. ${JSON.stringify(lost[0])}`);
  if (pending > 0) failures.push(`${pending} stored events still pending after 4 minutes`);
  if (!(await healthy())) failures.push('the server no longer answers /api/health');
  const rssEnd = await rssMb(pid);
  if (rssPeak > MAX_RSS_MB) failures.push(`server RSS peaked at ${Math.round(rssPeak)} MB (bound ${MAX_RSS_MB} MB)`);

  console.log(`\nhostile-input suite (${new Date().toISOString()}, seed ${SEED}, ${COUNT} generated requests per endpoint)`);
  console.table(rows);
  console.log(`answered 2xx: ${acknowledged} (webhook deliveries among them: ${ackedDeliveries.length}, all in the raw log: ${lost.length === 0}); raw log: ${inLog} (${JSON.stringify(byStatus)}); still pending: ${pending}`);
  console.log(`server RSS: ${Math.round(rssStart)} MB at start, peak ${Math.round(rssPeak)} MB, ${Math.round(rssEnd)} MB at the end; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
} catch (error) {
  failures.push(`suite error: ${(error as Error).stack ?? error}`);
} finally {
  server?.removeAllListeners('exit').kill('SIGTERM');
  await db().$disconnect().catch(() => {});
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => {});
  await admin.end();
}

if (failures.length) {
  console.error(`\nFAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('passed: 0 answers 5xx, 0 crashes, every acknowledged delivery stored, nothing stored that was not acknowledged');
process.exit(0);

/** The fixed worst cases of an endpoint; returns how many requests they made. */
async function worstCases(endpoint: Endpoint, secrets: Secrets, count: (status: number) => void): Promise<number> {
  const target = `/api/orgs/hostile/${endpoint.path}`;
  const plan = { base: 0, mutations: [], bytes: null, contentType: undefined, seed: 0 };
  const valid = endpoint.request(plan, secrets);
  const headers = { ...valid.headers, 'content-type': valid.body.contentType ?? 'application/json' };
  const post = async (body: Buffer, extra: Record<string, string> = {}) => {
    try {
      const res = await fetch(`${base}${target}`, { method: 'POST', headers: { ...headers, ...extra }, body: new Uint8Array(body) });
      await res.arrayBuffer();
      count(res.status);
    } catch {
      count(0);
    }
  };
  let n = 0;
  // Over the limit, declared and streamed.
  await post(Buffer.alloc(endpoint.limit + 1024, 0x20));
  n++;
  // Nesting 200,000 deep.
  await post(Buffer.from('['.repeat(200_000) + ']'.repeat(200_000)));
  n++;
  if (endpoint.path.startsWith('otlp')) {
    // A gzip bomb: 100 MB of zeros in about 100 KB.
    await post(gzipSync(Buffer.alloc(100 * 1024 * 1024)), { 'content-encoding': 'gzip' });
    n++;
  }
  if (endpoint.path.endsWith('junit')) {
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "ha">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><testsuite name="&j;"/>`;
    await post(Buffer.from(laughs));
    n++;
  }
  // Slow bodies (the whole valid body over ~2 s) and bodies cut off mid-stream: never a 5xx,
  // never a crash (a cut-off body has no answer to give).
  const slow = await Promise.all([1, 2].map(() => rawRequest(target, headers, valid.body.bytes, { slowMs: 100 })));
  for (const answer of slow) count(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0));
  n += slow.length;
  await rawRequest(target, headers, valid.body.bytes, { declared: valid.body.bytes.length + 1000, cutAt: Math.floor(valid.body.bytes.length / 2) });
  n++;
  return n;
}
