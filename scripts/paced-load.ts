// An open-loop load generator: one request every 1/rate seconds, on schedule, whether or not
// earlier ones were answered, the way webhooks and telemetry exporters send. Latency runs from the
// scheduled send time to the end of the answer, so a stalled server is charged for the requests
// it held back. (autocannon's rate mode sends each connection's share of a second as one burst at
// the top of the second and corrects for it with a 1 ms expected interval, which measures the
// burst, not a steady 200/s.)
import http from 'node:http';

export interface PacedRequest {
  path: string;
  headers: Record<string, string | number>;
  body: string | Uint8Array;
}

export interface PacedResult {
  sent: number;
  /** Answered 2xx. */
  acked: number;
  other: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  rate: number;
}

/** Sends `count` requests at `rate` per second to 127.0.0.1:`port`; request i is `request(i)`. */
export async function sendPaced({ port, rate, count, request }: { port: number; rate: number; count: number; request: (i: number) => PacedRequest }): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const counts = { sent: 0, acked: 0, other: 0, errors: 0 };
  const interval = 1000 / rate;
  const started = performance.now();
  const pending: Promise<void>[] = [];

  const send = ({ path, headers, body }: PacedRequest, scheduled: number) =>
    new Promise<void>((resolve) => {
      counts.sent++;
      const req = http.request(
        { agent, host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies.push(performance.now() - scheduled);
            if (response.statusCode! >= 200 && response.statusCode! < 300) counts.acked++;
            else counts.other++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        counts.errors++;
        resolve();
      });
      req.end(body);
    });

  for (let i = 0; i < count; i++) {
    const scheduled = started + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(request(i), scheduled));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { ...counts, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: latencies.at(-1) ?? NaN, rate: counts.sent / elapsed };
}
