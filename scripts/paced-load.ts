// An open-loop load generator: one signed delivery (cycling through `deliveries`) every 1/rate seconds, on schedule, whether or
// not earlier ones were answered, the way webhooks arrive. Latency runs from the scheduled send
// time to the end of the answer, so a stalled server is charged for the requests it held back.
// (autocannon's rate mode sends each connection's share of a second as one burst at the top of
// the second and corrects for it with a 1 ms expected interval, which measures the burst, not a
// steady 200/s.)
import http from 'node:http';

export interface PacedResult {
  sent: number;
  acked: number;
  other: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  rate: number;
}

export async function sendPaced(options: { port: number; deliveries: { body: string; signature: string }[]; rate: number; seconds: number; prefix: string }): Promise<PacedResult> {
  const { port, deliveries, rate, seconds, prefix } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const counts = { sent: 0, acked: 0, other: 0, errors: 0 };
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const started = performance.now();
  const pending: Promise<void>[] = [];

  const send = (i: number, scheduled: number) =>
    new Promise<void>((resolve) => {
      const { body, signature } = deliveries[i % deliveries.length]!;
      counts.sent++;
      const request = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/orgs/bench/webhooks/github',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-github-event': 'pull_request', 'x-github-delivery': `${prefix}-${i}`, 'x-hub-signature-256': signature },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies.push(performance.now() - scheduled);
            if (response.statusCode === 202 || response.statusCode === 200) counts.acked++;
            else counts.other++;
            resolve();
          });
        },
      );
      request.on('error', () => {
        counts.errors++;
        resolve();
      });
      request.end(body);
    });

  for (let i = 0; i < total; i++) {
    const scheduled = started + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(i, scheduled));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { ...counts, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN, rate: counts.sent / elapsed };
}
