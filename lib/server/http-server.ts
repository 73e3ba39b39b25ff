import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import next from 'next';
import { otlpMetricsRoute } from '../ingest/otlp/otlp-metrics-route.ts';
import { webhookRouteFor } from '../ingest/webhook-receivers.ts';
import { startWorker } from '../ingest/worker.ts';
import { log } from '../log.ts';

// The production server: Next.js for every page and API route, except webhook deliveries, which
// are answered here before Next's router sees them. Next's per-request pipeline costs several
// milliseconds of CPU, and under a steady 200 deliveries/s it queued acknowledgements for seconds
// (`npm run bench:webhooks`); the fast path runs the same route handler (lib/ingest/webhook-receivers)
// on a plain Node request. `next dev` still serves the route files, which use that handler too.

const WEBHOOK_PATH = /^\/api\/orgs\/([^/]+)\/webhooks\/([^/?]+)\/?(?:\?.*)?$/;
// OTLP metrics exports (Claude Code telemetry) take the same fast path, with their own handler.
const OTLP_METRICS_PATH = /^\/api\/orgs\/([^/]+)\/otlp\/v1\/metrics\/?(?:\?.*)?$/;

function toWebRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body, duplex: 'half' } as RequestInit);
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
  route(toWebRequest(req, origin), { params: Promise.resolve({ org }) })
    .then((response) => sendWebResponse(response, res))
    .catch((error: unknown) => {
      log.error({ err: error }, 'webhook fast path failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Internal error' } }));
    });
  return true;
}

/**
 * Starts the production server on a built app (`.next`) in `dir`. The raw-event worker starts
 * here, before Next's instrumentation hook, so the process runs one worker loop.
 */
export async function startHttpServer(options: { dir: string; port: number; hostname: string; worker: boolean }): Promise<Server> {
  const { dir, port, hostname, worker } = options;
  if (worker) startWorker();
  const app = next({ dev: false, dir, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const origin = `http://${hostname === '0.0.0.0' || hostname === '::' ? 'localhost' : hostname}:${port}`;
  const server = createServer((req, res) => {
    if (handleWebhook(req, res, origin)) return;
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, resolve);
  });
  return server;
}
