import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { ValueType } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createIngestToken } from '../../auth/tokens.ts';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { processPendingEvents } from '../worker.ts';
import { otlpMetricsRoute } from './otlp-metrics-route.ts';

// The OpenTelemetry JS SDK's own OTLP/HTTP protobuf exporter, recording under Claude Code's metric
// names, exporting to a local HTTP server that hands each request to the route handler (as the
// production server's fast path does).

let server: Server;
let base: string;
const statuses: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const request = new Request(new URL(req.url!, 'http://127.0.0.1'), { method: req.method, headers, body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } as RequestInit);
    const org = /^\/api\/orgs\/([^/]+)\//.exec(req.url!)![1]!;
    void otlpMetricsRoute(request, { params: Promise.resolve({ org }) }).then(async (response) => {
      statuses.push(response.status);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function claudeCodeMeter(slug: string, token: string, temporalityPreference: AggregationTemporality) {
  const exporter = new OTLPMetricExporter({ url: `${base}/api/orgs/${slug}/otlp/v1/metrics`, headers: { Authorization: `Bearer ${token}` }, temporalityPreference });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'claude-code', 'service.version': '2.1.216' }), readers: [reader] });
  const meter = provider.getMeter('com.anthropic.claude_code');
  return {
    provider,
    tokens: meter.createCounter('claude_code.token.usage', { unit: 'tokens', valueType: ValueType.INT }),
    cost: meter.createCounter('claude_code.cost.usage', { unit: 'USD', valueType: ValueType.DOUBLE }),
    lines: meter.createCounter('claude_code.lines_of_code.count', { valueType: ValueType.INT }),
    commits: meter.createCounter('claude_code.commit.count', { valueType: ValueType.INT }),
    pullRequests: meter.createCounter('claude_code.pull_request.count', { valueType: ValueType.INT }),
    sessions: meter.createCounter('claude_code.session.count', { valueType: ValueType.INT }),
    activeTime: meter.createCounter('claude_code.active_time.total', { unit: 's', valueType: ValueType.DOUBLE }),
    decisions: meter.createCounter('claude_code.code_edit_tool.decision', { valueType: ValueType.INT }),
  };
}

const utcToday = () => new Date(new Date().toISOString().slice(0, 10));
const rows = (orgId: string) =>
  db().aiUsageDaily.findMany({
    where: { orgId },
    orderBy: [{ identityKey: 'asc' }, { model: 'asc' }],
    select: { day: true, tool: true, identityKey: true, model: true, personId: true, tokensIn: true, tokensOut: true, tokensCacheRead: true, tokensCacheWrite: true, costUsd: true, linesAdded: true, linesRemoved: true, commits: true, pullRequests: true, sessions: true, activeSeconds: true },
  });

describe('Claude Code telemetry through the OpenTelemetry SDK exporter (OTLP/HTTP protobuf)', () => {
  test('DELTA exports (Claude Code default): two flushes add up per person, model and day', async () => {
    const org = await seedOrg();
    const { token } = await createIngestToken({ orgId: org.id, name: 'Claude Code', scopes: ['otlp:write'] });
    const ann = await db().person.create({ data: { orgId: org.id, displayName: 'Ann' } });
    await db().identity.create({ data: { orgId: org.id, personId: ann.id, provider: 'github', externalId: '101', login: 'ann', email: 'ann@example.com' } });
    const m = await claudeCodeMeter(org.slug, token, AggregationTemporality.DELTA);
    const sonnet = { 'user.email': 'Ann@example.com', 'session.id': 's-1', model: 'claude-sonnet-4-5' };
    const bob = { 'user.email': 'bob@example.com', 'session.id': 's-2' };

    m.sessions.add(1, { 'user.email': 'Ann@example.com', 'session.id': 's-1', start_type: 'fresh' });
    m.tokens.add(1200, { ...sonnet, type: 'input' });
    m.tokens.add(3400, { ...sonnet, type: 'output' });
    m.tokens.add(90000, { ...sonnet, type: 'cacheRead' });
    m.tokens.add(5000, { ...sonnet, type: 'cacheCreation' });
    m.cost.add(0.25, sonnet);
    m.lines.add(40, { ...sonnet, type: 'added' });
    m.lines.add(6, { ...sonnet, type: 'removed' });
    m.activeTime.add(30.5, { 'user.email': 'Ann@example.com', type: 'user' });
    m.decisions.add(3, { 'user.email': 'Ann@example.com', tool_name: 'Edit', decision: 'accept' });
    m.commits.add(1, bob);
    await m.provider.forceFlush();

    m.tokens.add(800, { ...sonnet, type: 'input' });
    m.cost.add(0.125, sonnet);
    m.cost.add(0.0375, { ...sonnet, model: 'claude-haiku-4-5' });
    m.activeTime.add(12.25, { 'user.email': 'Ann@example.com', type: 'cli' });
    m.commits.add(2, { 'user.email': 'Ann@example.com', 'session.id': 's-1' });
    m.pullRequests.add(1, { 'user.email': 'Ann@example.com', 'session.id': 's-1' });
    m.commits.add(1, bob);
    await m.provider.forceFlush();
    await m.provider.shutdown();

    expect(statuses.slice(-2)).toEqual([200, 200]);
    expect(await db().rawEvent.count({ where: { orgId: org.id, source: 'otlp' } })).toBe(2);
    await processPendingEvents();
    const zero = { tokensIn: 0n, tokensOut: 0n, tokensCacheRead: 0n, tokensCacheWrite: 0n, costUsd: '0', linesAdded: 0, linesRemoved: 0, commits: 0, pullRequests: 0, sessions: 0, activeSeconds: 0 };
    const day = utcToday();
    expect((await rows(org.id)).map((r) => ({ ...r, costUsd: r.costUsd.toString() }))).toEqual([
      // Sessions, commits, pull requests and active time carry no model; 30.5 + 12.25 s rounds to 43.
      { ...zero, day, tool: 'claude_code', identityKey: 'ann@example.com', model: '', personId: ann.id, sessions: 1, commits: 2, pullRequests: 1, activeSeconds: 43 },
      { ...zero, day, tool: 'claude_code', identityKey: 'ann@example.com', model: 'claude-haiku-4-5', personId: ann.id, costUsd: '0.0375' },
      {
        ...zero, day, tool: 'claude_code', identityKey: 'ann@example.com', model: 'claude-sonnet-4-5', personId: ann.id,
        tokensIn: 2000n, tokensOut: 3400n, tokensCacheRead: 90000n, tokensCacheWrite: 5000n, costUsd: '0.375', linesAdded: 40, linesRemoved: 6,
      },
      { ...zero, day, tool: 'claude_code', identityKey: 'bob@example.com', model: '', personId: null, commits: 2 },
    ]);
  });

  test('CUMULATIVE exports: re-exported running totals count once', async () => {
    const org = await seedOrg();
    const { token } = await createIngestToken({ orgId: org.id, name: 'Claude Code', scopes: ['otlp:write'] });
    const m = await claudeCodeMeter(org.slug, token, AggregationTemporality.CUMULATIVE);
    const who = { 'user.email': 'cara@example.com', model: 'claude-opus-4-1' };
    m.tokens.add(500, { ...who, type: 'output' });
    m.commits.add(3, { 'user.email': 'cara@example.com' });
    await m.provider.forceFlush();
    m.tokens.add(250, { ...who, type: 'output' });
    await m.provider.forceFlush();
    await m.provider.forceFlush(); // nothing new: the same totals again, at a later time
    await m.provider.shutdown();

    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBeGreaterThanOrEqual(3);
    await processPendingEvents();
    expect((await rows(org.id)).map((r) => [r.identityKey, r.model, r.tokensOut, r.commits])).toEqual([
      ['cara@example.com', '', 0n, 3],
      ['cara@example.com', 'claude-opus-4-1', 750n, 0],
    ]);
  });
});
