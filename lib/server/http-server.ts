import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import next from 'next';
import { otlpMetricsRoute } from '../ingest/otlp/otlp-metrics-route.ts';
import { startSpoolDrainer } from '../ingest/spool.ts';
import { webhookRouteFor } from '../ingest/webhook-receivers.ts';
import { startWorker } from '../ingest/worker.ts';
import { env } from '../env.ts';
import { log } from '../log.ts';

// The production server: Next.js for every page and API route, except webhook deliveries, which
// are answered here before Next's router sees them. Next's per-request pipeline costs several
// milliseconds of CPU, and under a steady 200 deliveries/s it queued acknowledgements for seconds
// (`npm run bench:webhooks`); the fast path runs the same route handler (lib/ingest/webhook-receivers)
// on a plain Node request. `next dev` still serves the route files, which use that handler too.

const WEBHOOK_PATH = /^\/api\/orgs\/([^/]+)\/webhooks\/([^/?]+)\/?(?:\?.*)?$/;
// OTLP metrics exports (Claude Code telemetry) take the same fast path, with their own handler.
const OTLP_METRICS_PATH = /^\/api\/orgs\/([^/]+)\/otlp\/v1\/metrics\/?(?:\?.*)?$/;

// Above every fast-path route's own limit (25 MB), so the route still answers 413 itself.
const KEEP_BYTES = 26 * 1024 * 1024;

/**
 * The request with its body read whole. Bytes past KEEP_BYTES are read and dropped, not kept: a
 * route may refuse a delivery before reading it (wrong type, too large), and a client still
 * sending would otherwise see its connection reset instead of the answer.
 */
async function toWebRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= KEEP_BYTES) chunks.push(chunk);
  }
  const body = size > KEEP_BYTES ? Buffer.alloc(KEEP_BYTES + 1) : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body: new Uint8Array(body) });
}

async function sendWebResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Answers a webhook delivery itself; false when the request is not one (Next handles it). */
function handleWebhook(req: IncomingMessage, res: ServerResponse, origin: string): boolean {
  if (req.method !== 'POST') return false;
  const webhook = WEBHOOK_PATH.exec(req.url ?? '');
  const otlp = webhook ? null : OTLP_METRICS_PATH.exec(req.url ?? '');
  const match = webhook ?? otlp;
  const route = webhook ? webhookRouteFor(webhook[2]!) : otlp && otlpMetricsRoute;
  if (!match || !route) return false;
  const org = decodeURIComponent(match[1]!);
  toWebRequest(req, origin)
    .then((request) => route(request, { params: Promise.resolve({ org }) }))
    .then((response) => sendWebResponse(response, res))
    .catch((error: unknown) => {
      log.error({ err: error }, 'webhook fast path failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Internal error' } }));
    });
  return true;
}

/** Without Next (THROUGHLINE_NEXT=0): /api/health as the app answers it, 404 for anything else. */
async function answerWithoutNext(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && /^\/api\/health\/?(?:\?.*)?$/.test(req.url ?? '')) {
    const { db } = await import('../db/client.ts');
    const ok = await db().$queryRaw`SELECT 1`.then(() => true, () => false);
    const body = ok ? { ok } : { ok, error: { code: 'internal', message: 'database unreachable' } };
    return sendWebResponse(Response.json(body, { status: ok ? 200 : 503 }), res);
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'not_found', message: 'This server only takes deliveries (THROUGHLINE_NEXT=0)' } }));
}

/**
 * Starts the production server on a built app (`.next`) in `dir`. The raw-event worker starts
 * here, before Next's instrumentation hook, so the process runs one worker loop. The spool
 * drainer always runs here: deliveries this server spooled while the database was unreachable go
 * into the raw log when it is back. With `nextApp: false` (THROUGHLINE_NEXT=0) it answers deliveries
 * and /api/health only, and needs no build.
 */
export async function startHttpServer(options: { dir: string; port: number; hostname: string; worker: boolean; nextApp?: boolean }): Promise<Server> {
  const { dir, port, hostname, worker, nextApp = env().THROUGHLINE_NEXT === '1' } = options;
  if (worker) startWorker();
  startSpoolDrainer();
  let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> = answerWithoutNext;
  if (nextApp) {
    const app = next({ dev: false, dir, hostname, port });
    handle = app.getRequestHandler();
    await app.prepare();
  }
  const origin = `http://${hostname === '0.0.0.0' || hostname === '::' ? 'localhost' : hostname}:${port}`;
  const server = createServer((req, res) => {
    if (handleWebhook(req, res, origin)) return;
    void handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // Idle keep-alive connections stay open longer than the clients and proxies in front keep them
  // (load balancers commonly 60 s): with Node's 5 s default, a client reusing a connection just as
  // the server closed it got ECONNRESET on its request. headersTimeout must exceed it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, resolve);
  });
  return server;
}
