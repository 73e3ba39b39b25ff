import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { POST } from '../../../app/api/orgs/[org]/otlp/v1/metrics/route.ts';
import { createIngestToken } from '../../auth/tokens.ts';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { replayOrg } from '../replay.ts';
import { processPendingEvents } from '../worker.ts';
import { ExportMetricsServiceRequest, ExportMetricsServiceResponse } from './otlp-proto.ts';
import { MAX_OTLP_BODY_BYTES } from './read-otlp-request.ts';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/otlp', name), 'utf8'));
const claudeCode = () => fixture('otlp_metrics_export_request.json');

async function orgWithToken() {
  const org = await seedOrg();
  const { token } = await createIngestToken({ orgId: org.id, name: 'Claude Code', scopes: ['otlp:write'] });
  return { org, token };
}

async function send(slug: string, token: string | null, body: string | Buffer, headers: Record<string, string> = {}) {
  const h = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers };
  const res = await POST(new Request(`http://test/api/orgs/${slug}/otlp/v1/metrics`, { method: 'POST', headers: h, body: typeof body === 'string' ? body : new Uint8Array(body) }), { params: Promise.resolve({ org: slug }) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

const protobuf = (json: object) => Buffer.from(ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(json)).finish());
const PROTOBUF = { 'content-type': 'application/x-protobuf' };

const dailyRows = (orgId: string) =>
  db().aiUsageDaily.findMany({
    where: { orgId },
    orderBy: [{ day: 'asc' }, { identityKey: 'asc' }, { model: 'asc' }],
    omit: { orgId: true, id: true, linesSuggested: true, linesAccepted: true, suggestions: true, acceptances: true, requests: true },
  });

/** What the documented Claude Code export (one user, 2026-01-01) adds up to, worked by hand. */
const FIXTURE_DAY = new Date('2026-01-01');
function fixtureRows(personId: string | null, times = 1) {
  const base = { day: FIXTURE_DAY, tool: 'claude_code', identityKey: 'dev@example.com', personId, tokensIn: 0n, tokensOut: 0n, tokensCacheRead: 0n, tokensCacheWrite: 0n, linesAdded: 0, linesRemoved: 0, commits: 0, pullRequests: 0, sessions: 0, activeSeconds: 0 };
  return [
    // No model attribute: session 1, pull request 1, commits 2, active time 48.2 + 211.7 = 259.9 s.
    { ...base, model: '', costUsd: '0', sessions: 1 * times, pullRequests: 1 * times, commits: 2 * times, activeSeconds: Math.round(259.9 * times) },
    { ...base, model: 'claude-haiku-4-5-20251001', costUsd: (0.0123 * times).toFixed(4) },
    {
      ...base,
      model: 'claude-sonnet-4-5-20250929',
      costUsd: (0.4187 * times).toFixed(4),
      tokensIn: 1834n * BigInt(times),
      tokensOut: 6120n * BigInt(times),
      tokensCacheRead: 412300n * BigInt(times),
      tokensCacheWrite: 28750n * BigInt(times),
      linesAdded: 142 * times,
      linesRemoved: 37 * times,
    },
  ];
}
const comparable = (rows: Awaited<ReturnType<typeof dailyRows>>) => rows.map(({ sourceEventId: _s, ...r }) => ({ ...r, costUsd: r.costUsd.toString() }));

/** The fixture with its window moved by `minutes` (another 60 s export of the same day). */
function shifted(json: ReturnType<typeof claudeCode>, minutes: number) {
  const shift = BigInt(minutes) * 60_000_000_000n;
  for (const metric of json.resourceMetrics[0].scopeMetrics[0].metrics) {
    for (const p of metric.sum.dataPoints) {
      p.startTimeUnixNano = String(BigInt(p.startTimeUnixNano) + shift);
      p.timeUnixNano = String(BigInt(p.timeUnixNano) + shift);
    }
  }
  return json;
}

describe('POST /api/orgs/[org]/otlp/v1/metrics', () => {
  test('OTLP/JSON from Claude Code is stored raw, answered 200 with an empty JSON response, and processed into daily rows of the person', async () => {
    const { org, token } = await orgWithToken();
    const person = await db().person.create({ data: { orgId: org.id, displayName: 'Dev', email: 'Dev@Example.com' } });
    const res = await send(org.slug, token, JSON.stringify({ ...claudeCode(), somethingNew: { kept: false } }));
    expect({ status: res.status, type: res.type, body: res.json() }).toEqual({ status: 200, type: 'application/json', body: {} });
    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw).toMatchObject({ source: 'otlp', eventType: 'otlp.metrics', status: 'pending', deliveryId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The decoded request, as OTLP/JSON (unknown fields dropped by the decoder).
    expect(raw.payload).toEqual(claudeCode());
    await processPendingEvents();
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ status: 'processed' });
    const rows = await dailyRows(org.id);
    expect(comparable(rows)).toEqual(fixtureRows(person.id));
    expect(rows.every((r) => r.sourceEventId === raw.id)).toBe(true);
  });

  test('the same export as protobuf and gzip is the same request: one raw event, answered 200 with a protobuf response each time', async () => {
    const { org, token } = await orgWithToken();
    const bytes = protobuf(claudeCode());
    const first = await send(org.slug, token, bytes, PROTOBUF);
    expect({ status: first.status, type: first.type }).toEqual({ status: 200, type: 'application/x-protobuf' });
    expect(ExportMetricsServiceResponse.toObject(ExportMetricsServiceResponse.decode(first.bytes))).toEqual({});
    const gzipped = await send(org.slug, token, gzipSync(bytes), { ...PROTOBUF, 'content-encoding': 'gzip' });
    const asJson = await send(org.slug, token, JSON.stringify(claudeCode()));
    expect([gzipped.status, asJson.status]).toEqual([200, 200]);
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(1);
    await processPendingEvents();
    expect(comparable(await dailyRows(org.id))).toEqual(fixtureRows(null));
  });

  test('a gzip JSON body is read; two exports of the same day add up', async () => {
    const { org, token } = await orgWithToken();
    expect((await send(org.slug, token, gzipSync(JSON.stringify(claudeCode())), { 'content-encoding': 'gzip' })).status).toBe(200);
    expect((await send(org.slug, token, JSON.stringify(shifted(claudeCode(), 1)))).status).toBe(200);
    await processPendingEvents();
    expect(comparable(await dailyRows(org.id))).toEqual(fixtureRows(null, 2));
    expect(await db().aiUsageSample.count({ where: { orgId: org.id } })).toBe(6);
  });

  test('exports of one person processed by concurrent workers all count', async () => {
    const { org, token } = await orgWithToken();
    for (let minute = 0; minute < 6; minute++) expect((await send(org.slug, token, JSON.stringify(shifted(claudeCode(), minute)))).status).toBe(200);
    await Promise.all([processPendingEvents(), processPendingEvents(), processPendingEvents()]);
    expect(await db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } })).toBe(6);
    expect(comparable(await dailyRows(org.id))).toEqual(fixtureRows(null, 6));
  });

  test('processing an event again (retry) or replaying the log gives the same rows', async () => {
    const { org, token } = await orgWithToken();
    await send(org.slug, token, JSON.stringify(claudeCode()));
    await send(org.slug, token, JSON.stringify(shifted(claudeCode(), 1)));
    await processPendingEvents();
    const before = comparable(await dailyRows(org.id));
    expect(before).toEqual(fixtureRows(null, 2));
    const processed = () => db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } });
    await db().rawEvent.updateMany({ where: { orgId: org.id }, data: { status: 'failed', nextAttemptAt: new Date(0) } });
    await processPendingEvents();
    expect(await processed()).toBe(2);
    expect(comparable(await dailyRows(org.id))).toEqual(before);
    await replayOrg({ orgId: org.id });
    expect(await processed()).toBe(2);
    expect(comparable(await dailyRows(org.id))).toEqual(before);
    expect(await db().aiUsageSample.count({ where: { orgId: org.id } })).toBe(6);
  });

  test('an event processed again that no longer reports a day takes its figures off that day, and the day off when nothing else reports it', async () => {
    const { org, token } = await orgWithToken();
    await send(org.slug, token, JSON.stringify(claudeCode())); // day 1
    await send(org.slug, token, JSON.stringify(shifted(claudeCode(), 24 * 60))); // day 2
    await send(org.slug, token, JSON.stringify(shifted(claudeCode(), 1))); // day 1 again
    await processPendingEvents();
    expect(new Set((await dailyRows(org.id)).map((r) => r.day.toISOString().slice(0, 10)))).toEqual(new Set(['2026-01-01', '2026-01-02']));
    // Days 2 and the second day-1 export are no longer in their events (as after a change in what counts).
    const [, day2, day1Again] = await db().rawEvent.findMany({ where: { orgId: org.id }, orderBy: { receivedAt: 'asc' } });
    await db().rawEvent.updateMany({ where: { orgId: org.id, id: { in: [day2!.id, day1Again!.id] } }, data: { payload: { resourceMetrics: [] }, status: 'failed', nextAttemptAt: new Date(0) } });
    await processPendingEvents();
    expect(comparable(await dailyRows(org.id))).toEqual(fixtureRows(null, 1));
  });

  test('usage of an identity no one in the org has stays unattributed; an account uuid matches a claude_code identity', async () => {
    const { org, token } = await orgWithToken();
    const withoutEmail = claudeCode();
    for (const m of withoutEmail.resourceMetrics[0].scopeMetrics[0].metrics) {
      for (const p of m.sum.dataPoints) p.attributes = p.attributes.filter((a: { key: string }) => a.key !== 'user.email');
    }
    await send(org.slug, token, JSON.stringify(claudeCode()));
    await send(org.slug, token, JSON.stringify(withoutEmail));
    const person = await db().person.create({ data: { orgId: org.id, displayName: 'Dev' } });
    await db().identity.create({ data: { orgId: org.id, personId: person.id, provider: 'claude_code', externalId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' } });
    await processPendingEvents();
    const rows = await dailyRows(org.id);
    expect(rows.map((r) => [r.identityKey, r.model, r.personId])).toEqual([
      ['a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', '', person.id],
      ['a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', 'claude-haiku-4-5-20251001', person.id],
      ['a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', 'claude-sonnet-4-5-20250929', person.id],
      ['dev@example.com', '', null],
      ['dev@example.com', 'claude-haiku-4-5-20251001', null],
      ['dev@example.com', 'claude-sonnet-4-5-20250929', null],
    ]);
  });

  test('CUMULATIVE exports: each day counts the increase of each series, resent values never add up', async () => {
    const { org, token } = await orgWithToken();
    const who = [{ key: 'user.email', value: { stringValue: 'ann@example.com' } }];
    const start = '1767225600000000000'; // 2026-01-01T00:00Z, the process start
    const at = (iso: string) => String(BigInt(Date.parse(iso)) * 1_000_000n);
    const commits = (points: [string, number, string?][]) =>
      JSON.stringify({
        resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'claude_code.commit.count', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points.map(([time, value, from]) => ({ attributes: who, startTimeUnixNano: from ?? start, timeUnixNano: at(time), asInt: String(value) })) } }] }] }],
      });
    await send(org.slug, token, commits([['2026-01-01T10:00:00Z', 2]]));
    await send(org.slug, token, commits([['2026-01-01T11:00:00Z', 5]]));
    await send(org.slug, token, commits([['2026-01-02T09:00:00Z', 9]]));
    await send(org.slug, token, commits([['2026-01-01T11:00:00Z', 5]])); // a duplicate body: stored once
    await processPendingEvents();
    // Jan 1: highest 5; Jan 2: 9 - 5. A late report of Jan 1 (7) moves Jan 2 down to 2.
    const commitsByDay = async () => (await dailyRows(org.id)).map((r) => [r.day.toISOString().slice(0, 10), r.commits]);
    expect(await commitsByDay()).toEqual([['2026-01-01', 5], ['2026-01-02', 4]]);
    await send(org.slug, token, commits([['2026-01-01T23:00:00Z', 7]]));
    // The process restarted on Jan 2: a new series, counted from zero.
    await send(org.slug, token, commits([['2026-01-02T12:00:00Z', 3, at('2026-01-02T11:00:00Z')]]));
    await processPendingEvents();
    expect(await commitsByDay()).toEqual([['2026-01-01', 7], ['2026-01-02', 2 + 3]]);
    await replayOrg({ orgId: org.id });
    expect(await commitsByDay()).toEqual([['2026-01-01', 7], ['2026-01-02', 5]]);
  });

  test("the OTLP specification's example is accepted and stores no usage (none of it is Claude Code's)", async () => {
    const { org, token } = await orgWithToken();
    expect((await send(org.slug, token, JSON.stringify(fixture('otlp_spec_example_metrics.json')))).status).toBe(200);
    await processPendingEvents();
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ status: 'processed' });
    expect(await dailyRows(org.id)).toEqual([]);
  });

  test.each([
    ['resourceMetrics missing', {}, 'resourceMetrics: Invalid input: expected array, received undefined'],
    ['resourceMetrics not a list', { resourceMetrics: {} }, 'resourceMetrics: Invalid input: expected array, received object'],
    ['a metric name of the wrong type', { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 7 }] }] }] }, 'resourceMetrics.0.scopeMetrics.0.metrics.0.name: Invalid input: expected string, received number'],
    ['a time that is not a number', { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'x', sum: { dataPoints: [{ timeUnixNano: 'noon' }] } }] }] }] }, 'resourceMetrics.0.scopeMetrics.0.metrics.0.sum.dataPoints.0.timeUnixNano: must be a decimal unsigned 64-bit integer'],
    ['a resource that is not an object', { resourceMetrics: [{ resource: 'claude' }] }, 'resourceMetrics.0.resource: Invalid input: expected object, received string'],
  ])('OTLP/JSON with %s answers 400 naming the field and stores nothing', async (_name, body, message) => {
    const { org, token } = await orgWithToken();
    const res = await send(org.slug, token, JSON.stringify(body));
    expect({ status: res.status, body: res.json() }).toEqual({ status: 400, body: { error: { code: 'bad_request', message } } });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('fields OTLP does not define are accepted', async () => {
    const { org, token } = await orgWithToken();
    const json = claudeCode();
    json.resourceMetrics[0].scopeMetrics[0].metrics[0].futureField = { nested: [1, 2] };
    json.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].attributes[0].value.futureValue = 'x';
    expect((await send(org.slug, token, JSON.stringify(json))).status).toBe(200);
    await processPendingEvents();
    expect(comparable(await dailyRows(org.id))).toEqual(fixtureRows(null));
  });

  test('garbage protobuf, bad gzip and invalid JSON answer 400; other content types and encodings 415; nothing stored', async () => {
    const { org, token } = await orgWithToken();
    const garbage = await send(org.slug, token, Buffer.from('this is not protobuf at all'), PROTOBUF);
    expect(garbage.status).toBe(400);
    expect(garbage.json().error.message).toMatch(/^Body is not a protobuf ExportMetricsServiceRequest: /);
    expect((await send(org.slug, token, Buffer.from('not gzip'), { ...PROTOBUF, 'content-encoding': 'gzip' })).json()).toEqual({ error: { code: 'bad_request', message: 'Body is not valid gzip' } });
    expect((await send(org.slug, token, '{"resourceMetrics":')).json()).toEqual({ error: { code: 'bad_request', message: 'Body is not valid JSON' } });
    const textPlain = await send(org.slug, token, JSON.stringify(claudeCode()), { 'content-type': 'text/plain' });
    expect({ status: textPlain.status, body: textPlain.json() }).toEqual({ status: 415, body: { error: { code: 'unsupported_media_type', message: 'Content-Type must be application/x-protobuf or application/json' } } });
    expect((await send(org.slug, token, JSON.stringify(claudeCode()), { 'content-encoding': 'br' })).status).toBe(415);
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('a body over the limit answers 413, as sent or once decompressed', async () => {
    const { org, token } = await orgWithToken();
    const big = Buffer.alloc(MAX_OTLP_BODY_BYTES + 1, 0x20);
    expect((await send(org.slug, token, big)).json()).toEqual({ error: { code: 'payload_too_large', message: `Body over ${MAX_OTLP_BODY_BYTES} bytes` } });
    const bomb = await send(org.slug, token, gzipSync(big), { 'content-encoding': 'gzip' });
    expect({ status: bomb.status, body: bomb.json() }).toEqual({ status: 413, body: { error: { code: 'payload_too_large', message: `Body over ${MAX_OTLP_BODY_BYTES} bytes once decompressed` } } });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('no or a bad token answers 401; another org token 404; a token without otlp:write 403', async () => {
    const { org } = await orgWithToken();
    const other = await orgWithToken();
    const { token: ingestOnly } = await createIngestToken({ orgId: org.id, name: 'CI', scopes: ['ingest:write'] });
    const body = JSON.stringify(claudeCode());
    expect((await send(org.slug, null, body)).status).toBe(401);
    expect((await send(org.slug, 'tl_not-a-real-token', body)).status).toBe(401);
    expect((await send(org.slug, other.token, body)).status).toBe(404);
    expect((await send(org.slug, ingestOnly, body)).json()).toEqual({ error: { code: 'forbidden', message: 'This token lacks the scope this route needs (otlp:write)' } });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });
});
