import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { POST } from '../../../app/api/orgs/[org]/ingest/ai-usage/route.ts';
import { createIngestToken } from '../../auth/tokens.ts';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { replayOrg } from '../replay.ts';
import { processPendingEvents } from '../worker.ts';
import { usageRowsOf } from './usage-rows-for-tests.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/ai-usage', name), 'utf8');

type IdentityInput = { provider: 'git_email' | 'github' | 'jira'; externalId: string; login?: string; email?: string };

async function seedPerson(orgId: string, displayName: string, identity?: IdentityInput, email?: string) {
  const person = await db().person.create({ data: { orgId, displayName, email } });
  if (identity) await db().identity.create({ data: { orgId, personId: person.id, ...identity } });
  return person;
}

/** An org with Ada (known by her commit email) and Grace (known by her GitHub login), and an ingest token. */
async function orgWithPeople() {
  const org = await seedOrg();
  const { token } = await createIngestToken({ orgId: org.id, name: 'usage', scopes: ['ingest:write'] });
  const ada = await seedPerson(org.id, 'Ada', { provider: 'git_email', externalId: 'ada@example.com', email: 'ada@example.com' });
  const grace = await seedPerson(org.id, 'Grace', { provider: 'github', externalId: '583231', login: 'Grace-H' });
  return { org, token, ada, grace };
}

async function send(slug: string, token: string | null, body: string | object, contentType = 'application/json') {
  const headers = { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await POST(new Request(`http://test/api/orgs/${slug}/ingest/ai-usage`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json() };
}

const record = (o: Record<string, unknown> = {}) => ({ email: 'ada@example.com', day: '2026-03-02', tool: 'cursor', requests: 10, ...o });

describe('POST /api/orgs/[org]/ingest/ai-usage', () => {
  test('a JSON report is stored raw (202) and becomes one row per day, tool, identity and model; resending it answers 200 and stores nothing', async () => {
    const { org, token, ada, grace } = await orgWithPeople();
    const first = await send(org.slug, token, fixture('report.json'));
    expect(first).toMatchObject({ status: 202, body: { stored: true, records: 4 } });
    expect(first.body.deliveryId).toMatch(/^report:[0-9a-f]{32}$/);
    expect(await send(org.slug, token, fixture('report.json'))).toMatchObject({ status: 200, body: { stored: false, deliveryId: first.body.deliveryId } });
    await processPendingEvents();

    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw).toMatchObject({ source: 'ai_usage', eventType: 'ai_usage.report', status: 'processed' });
    // Unknown fields stay in the raw log.
    expect((raw.payload as { records: Record<string, unknown>[] }).records[1]!.project).toBe('billing');
    expect(await usageRowsOf(org.id)).toEqual([
      // The first two records share a key (the email's case aside): 12000 + 800 tokens in,
      // 3400 + 200 out, $1.25 + $0.10, 3 + 1 sessions, 41 + 4 requests.
      {
        day: '2026-03-02', tool: 'claude_code', identityKey: 'ada@example.com', model: 'claude-sonnet-4-6', personId: ada.id,
        tokensIn: 12800, tokensOut: 3600, tokensCacheRead: 50000, tokensCacheWrite: 2000, costUsd: 1.35, linesAdded: 120, linesRemoved: 30, sessions: 4, requests: 45,
      },
      // Grace by her GitHub login, matched without regard to case (Grace-H).
      { day: '2026-03-02', tool: 'copilot', identityKey: 'grace-h', model: '', personId: grace.id, suggestions: 210, acceptances: 64, linesSuggested: 300, linesAccepted: 90 },
      // An email nobody in the org has: kept under its key, no person made for it.
      { day: '2026-03-03', tool: 'other', identityKey: 'nobody@elsewhere.io', model: 'some-local-model', personId: null, requests: 7 },
    ]);
    expect(await db().person.count({ where: { orgId: org.id } })).toBe(2);
    expect(await db().aiUsageDaily.count({ where: { orgId: org.id, sourceEventId: raw.id } })).toBe(3);
  });

  test('a CSV report (text/csv) makes the same kind of rows; empty cells are 0, a quoted model keeps its comma', async () => {
    const { org, token, ada, grace } = await orgWithPeople();
    expect(await send(org.slug, token, fixture('report.csv'), 'text/csv; charset=utf-8')).toMatchObject({ status: 202, body: { stored: true, records: 2 } });
    await processPendingEvents();
    expect(await usageRowsOf(org.id)).toEqual([
      { day: '2026-03-04', tool: 'cursor', identityKey: 'ada@example.com', model: '', personId: ada.id, linesAdded: 85, linesRemoved: 12, requests: 19 },
      // No personProvider: the login may be any identity's, and only Grace has it.
      { day: '2026-03-04', tool: 'openai', identityKey: 'grace-h', model: 'gpt-5 (high, batch)', personId: grace.id, tokensIn: 1500, tokensOut: 700, costUsd: 0.0425, requests: 3 },
    ]);
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ payload: { csv: fixture('report.csv') } });
  });

  test('resending a day with other figures replaces its row rather than adding to it; rows the new report does not name stay; a replay gives the same table', async () => {
    const { org, token, ada } = await orgWithPeople();
    await send(org.slug, token, [record({ requests: 10, linesAdded: 50 }), record({ day: '2026-03-03', requests: 6 })]);
    await processPendingEvents();
    await send(org.slug, token, { records: [record({ requests: 4 })] });
    await processPendingEvents();
    const second = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id }, orderBy: { receivedAt: 'desc' } });
    const rows = await usageRowsOf(org.id);
    expect(rows).toEqual([
      // 4, not 10 + 4; and linesAdded, absent from the new record, is 0 now.
      { day: '2026-03-02', tool: 'cursor', identityKey: 'ada@example.com', model: '', personId: ada.id, requests: 4 },
      { day: '2026-03-03', tool: 'cursor', identityKey: 'ada@example.com', model: '', personId: ada.id, requests: 6 },
    ]);
    expect((await db().aiUsageDaily.findFirstOrThrow({ where: { orgId: org.id, day: new Date('2026-03-02') } })).sourceEventId).toBe(second.id);
    await replayOrg({ orgId: org.id });
    expect(await usageRowsOf(org.id)).toEqual(rows);
  });

  test('people are found by a person email or an identity email in any case; an email two people share, or none has, stays unattributed', async () => {
    const { org, token, ada } = await orgWithPeople();
    const lin = await seedPerson(org.id, 'Lin', undefined, 'Lin@Example.com');
    await seedPerson(org.id, 'Sam (GitHub)', { provider: 'github', externalId: '1', login: 'sam', email: 'sam@example.com' });
    await seedPerson(org.id, 'Sam (Jira)', { provider: 'jira', externalId: 'acc-1', email: 'sam@example.com' });
    await send(org.slug, token, ['ADA@example.com', 'lin@example.com', 'sam@example.com', 'zoe@example.com'].map((email) => record({ email })));
    await processPendingEvents();
    expect((await usageRowsOf(org.id)).map((r) => [r.identityKey, r.personId])).toEqual([
      ['ada@example.com', ada.id],
      ['lin@example.com', lin.id],
      ['sam@example.com', null],
      ['zoe@example.com', null],
    ]);
  });

  test.each([
    ['a missing day', [record(), record(), record({ day: undefined })], 'records[2].day: Invalid input: expected string, received undefined'],
    ['an impossible day', [record({ day: '2026-02-30' })], 'records[0].day: Invalid ISO date'],
    ['a tool it does not know', [record({ tool: 'windsurf' })], 'records[0].tool: Invalid option: expected one of "claude_code"|"cursor"|"copilot"|"openai"|"anthropic_api"|"other"'],
    ['no email nor person', [record({ email: undefined })], 'records[0].email: email or person is required'],
    ['a bad email', [record({ email: 'ada' })], 'records[0].email: Invalid email address'],
    ['a count of the wrong type', [record({ tokensIn: '12k' })], 'records[0].tokensIn: Invalid input: expected number, received string'],
    ['a negative count', [record({ linesAdded: -3 })], 'records[0].linesAdded: Too small: expected number to be >=0'],
    ['a fractional count', [record({ requests: 1.5 })], 'records[0].requests: Invalid input: expected int, received number'],
    ['no records', { records: [] }, 'records: must hold at least one record'],
    ['a body that is not a report', { usage: [] }, 'records: Invalid input: expected array, received undefined'],
    ['sums past what a row holds', [record({ requests: 2_000_000_000 }), record({ requests: 2_000_000_000 })], 'records: the sum of requests for 2026-03-02 cursor ada@example.com is over 2147483647'],
  ])('%s answers 400 naming the record and field, and stores nothing', async (_name, body, message) => {
    const { org, token } = await orgWithPeople();
    expect(await send(org.slug, token, body)).toEqual({ status: 400, body: { error: { code: 'bad_request', message } } });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('CSV errors name the record (data row) and field; malformed CSV and JSON answer 400', async () => {
    const { org, token } = await orgWithPeople();
    const csv = 'email,day,tool,tokensIn\nada@example.com,2026-03-02,cursor,5\nada@example.com,2026-03-03,cursor,lots\n';
    expect(await send(org.slug, token, csv, 'text/csv')).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'records[1].tokensIn: Invalid input: expected number, received string' } } });
    const unclosed = await send(org.slug, token, 'email,day,tool\n"ada@example.com,2026-03-02,cursor\n', 'text/csv');
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.message).toMatch(/^body: not valid CSV: /);
    expect(await send(org.slug, token, '{"records": [')).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Body is not valid JSON' } } });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('another content type answers 415, a body over 10 MB 413', async () => {
    const { org, token } = await orgWithPeople();
    expect(await send(org.slug, token, [record()], 'text/plain')).toEqual({ status: 415, body: { error: { code: 'unsupported_media_type', message: 'Content-Type must be application/json or text/csv' } } });
    const big = [record({ note: 'x'.repeat(11 * 1024 * 1024) })];
    expect(await send(org.slug, token, big)).toEqual({ status: 413, body: { error: { code: 'payload_too_large', message: 'Body over 10485760 bytes' } } });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('no token answers 401, another org token 404, a token without ingest:write 403', async () => {
    const { org } = await orgWithPeople();
    const other = await orgWithPeople();
    const { token: readOnly } = await createIngestToken({ orgId: org.id, name: 'read', scopes: ['metrics:read'] });
    expect((await send(org.slug, null, [record()])).status).toBe(401);
    expect((await send(org.slug, other.token, [record()])).status).toBe(404);
    expect((await send(org.slug, readOnly, [record()])).status).toBe(403);
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });
});
