import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { importUsageFile } from './import-usage-file.ts';
import { usageRowsOf } from './usage-rows-for-tests.ts';

// `throughline import cursor|anthropic|openai`: each vendor's documented export, stored raw and
// turned into AiUsageDaily rows by the worker. Expected figures are worked out from the files.

const fixture = (dir: string, name: string) => readFileSync(path.join(import.meta.dirname, '../../../test/fixtures', dir, name), 'utf8');

async function seedPersonWithEmail(orgId: string, email: string) {
  const person = await db().person.create({ data: { orgId, displayName: email.split('@')[0]! } });
  await db().identity.create({ data: { orgId, personId: person.id, provider: 'git_email', externalId: email, email } });
  return person;
}

describe('throughline import cursor', () => {
  test('daily usage becomes a row per user-day, not per model; the same file again stores nothing; a changed day replaces its row', async () => {
    const org = await seedOrg();
    const dev = await seedPersonWithEmail(org.id, 'developer@company.com');
    const text = fixture('cursor', 'admin_api_daily_usage_data.json');
    expect(await importUsageFile({ orgId: org.id, vendor: 'cursor', text })).toMatchObject({ eventType: 'cursor.daily_usage', stored: true, items: 2, status: 'processed', error: null });
    const expected = [
      // 1710720000000 ms = 2024-03-18T00:00Z. Lines: 1543 added by AI changes, 1102 of them accepted
      // (and 645 deleted); tabs 342 shown, 289 accepted; requests 45 composer + 128 chat + 12 agent + 67 Cmd-K = 252.
      { day: '2024-03-18', tool: 'cursor', identityKey: 'developer@company.com', model: '', personId: dev.id, linesSuggested: 1543, linesAccepted: 1102, linesAdded: 1102, linesRemoved: 645, suggestions: 342, acceptances: 289, requests: 252 },
      // 2024-03-19: 67 + 156 + 23 + 89 = 335 requests.
      { day: '2024-03-19', tool: 'cursor', identityKey: 'developer@company.com', model: '', personId: dev.id, linesSuggested: 2104, linesAccepted: 1876, linesAdded: 1876, linesRemoved: 987, suggestions: 456, acceptances: 398, requests: 335 },
    ];
    expect(await usageRowsOf(org.id)).toEqual(expected);
    expect(await importUsageFile({ orgId: org.id, vendor: 'cursor', text })).toMatchObject({ stored: false, status: 'processed' });

    // The day exported again later, with more tabs and another favourite model: still one row.
    const later = JSON.parse(text);
    later.data = [{ ...later.data[1], totalTabsShown: 500, mostUsedModel: 'gpt-5' }];
    expect(await importUsageFile({ orgId: org.id, vendor: 'cursor', text: JSON.stringify(later) })).toMatchObject({ stored: true, status: 'processed' });
    expect(await usageRowsOf(org.id)).toEqual([expected[0], { ...expected[1], suggestions: 500 }]);
    expect(await db().rawEvent.count({ where: { orgId: org.id, source: 'cursor' } })).toBe(2);
  });

  test('a file in another format, or with a bad field, is refused naming it and nothing is stored', async () => {
    const org = await seedOrg();
    await expect(importUsageFile({ orgId: org.id, vendor: 'cursor', text: fixture('anthropic', 'admin_usage_report_claude_code.json') })).rejects.toThrow(
      'Not a Cursor daily usage export (POST /teams/daily-usage-data: { data: [{ date, email, totalLinesAdded… }], period })',
    );
    const noEmail = JSON.parse(fixture('cursor', 'admin_api_daily_usage_data.json'));
    noEmail.data[1].email = 'not an email';
    await expect(importUsageFile({ orgId: org.id, vendor: 'cursor', text: JSON.stringify(noEmail) })).rejects.toThrow('data[1].email: Invalid email address');
    await expect(importUsageFile({ orgId: org.id, vendor: 'cursor', text: 'date,email\n' })).rejects.toThrow('The file is neither JSON nor NDJSON (line 1 is not JSON)');
    await expect(importUsageFile({ orgId: org.id, vendor: 'cursor', text: fixture('cursor', 'admin_api_daily_usage_data.json'), team: 'web' })).rejects.toThrow('--team applies to Copilot metrics only');
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });
});

describe('throughline import anthropic', () => {
  test('the Claude Code report becomes an activity row per actor-day and a row per model with tokens and cost in dollars', async () => {
    const org = await seedOrg();
    const user = await seedPersonWithEmail(org.id, 'user@emaildomain.com');
    const result = await importUsageFile({ orgId: org.id, vendor: 'anthropic', text: fixture('anthropic', 'admin_usage_report_claude_code.json') });
    expect(result).toMatchObject({ eventType: 'anthropic.claude_code_usage', stored: true, items: 1, status: 'processed' });
    const who = { day: '2025-08-08', tool: 'claude_code', identityKey: 'user@emaildomain.com', personId: user.id };
    expect(await usageRowsOf(org.id)).toEqual([
      // Edit-tool decisions: accepted 25 + 12 + 5 + 8 = 50; shown 50 + rejected 3 + 1 + 2 + 0 = 56.
      { ...who, model: '', linesAdded: 342, linesRemoved: 128, commits: 8, pullRequests: 2, sessions: 15, suggestions: 56, acceptances: 50 },
      // estimated_cost is in cents: 186 → $1.86, 42 → $0.42.
      { ...who, model: 'claude-opus-5', tokensIn: 45230, tokensOut: 12450, tokensCacheRead: 8790, tokensCacheWrite: 2340, costUsd: 1.86 },
      { ...who, model: 'claude-sonnet-5', tokensIn: 23100, tokensOut: 5680, tokensCacheRead: 3420, tokensCacheWrite: 890, costUsd: 0.42 },
    ]);
  });

  test("the guide's older example, and an API-key actor, whose key name is its identity", async () => {
    const org = await seedOrg();
    const report = JSON.parse(fixture('anthropic', 'claude_code_analytics_guide_example.json'));
    report.data.push({ ...report.data[0], actor: { type: 'api_actor', api_key_name: 'ci-bot-key' }, model_breakdown: [] });
    await importUsageFile({ orgId: org.id, vendor: 'anthropic', text: JSON.stringify(report) });
    // Accepted 45 + 12 + 8 + 3 = 68; rejected 5 + 2 + 1 + 0 = 8, so 76 decisions. 1025 cents = $10.25.
    const activity = { day: '2025-09-01', tool: 'claude_code', model: '', personId: null, linesAdded: 1543, linesRemoved: 892, commits: 12, pullRequests: 2, sessions: 5, suggestions: 76, acceptances: 68 };
    expect(await usageRowsOf(org.id)).toEqual([
      { ...activity, identityKey: 'ci-bot-key' },
      { ...activity, identityKey: 'developer@company.com' },
      { day: '2025-09-01', tool: 'claude_code', identityKey: 'developer@company.com', model: 'claude-sonnet-4-5-20250929', personId: null, tokensIn: 100000, tokensOut: 35000, tokensCacheRead: 10000, tokensCacheWrite: 5000, costUsd: 10.25 },
    ]);
  });
});

describe('throughline import openai', () => {
  test('a completions usage page not grouped by user is the org\'s; input tokens exclude cached and cache-written ones', async () => {
    const org = await seedOrg();
    expect(await importUsageFile({ orgId: org.id, vendor: 'openai', text: fixture('openai', 'organization_usage_completions.json') })).toMatchObject({ eventType: 'openai.completions_usage', items: 1, status: 'processed' });
    // start_time 1730419200 = 2024-11-01T00:00Z. input_tokens 1000 = 500 uncached + 400 cached + 100 cache writes.
    expect(await usageRowsOf(org.id)).toEqual([
      { day: '2024-11-01', tool: 'openai', identityKey: 'org', model: '', personId: null, tokensIn: 500, tokensOut: 500, tokensCacheRead: 400, tokensCacheWrite: 100, requests: 5 },
    ]);
  });

  test('a page grouped by user and model, hourly buckets of one day summed; a user key matches an OpenAI identity', async () => {
    const org = await seedOrg();
    const ada = await db().person.create({ data: { orgId: org.id, displayName: 'Ada' } });
    await db().identity.create({ data: { orgId: org.id, personId: ada.id, provider: 'openai', externalId: 'user-ada' } });
    const page = JSON.parse(fixture('openai', 'organization_usage_completions.json'));
    // Results of an older API version: no input_uncached_tokens / input_cache_write_tokens.
    const { input_uncached_tokens: _u, input_cache_write_tokens: _w, ...base } = page.data[0].results[0];
    const result = (o: Record<string, unknown>) => ({ ...base, ...o });
    page.data = [
      { ...page.data[0], start_time: 1730419200, results: [result({ user_id: 'user-ada', model: 'gpt-4o', input_tokens: 1000, input_cached_tokens: 400, output_tokens: 300, num_model_requests: 5 })] },
      { ...page.data[0], start_time: 1730422800, results: [result({ user_id: 'user-ada', model: 'gpt-4o', input_tokens: 200, input_cached_tokens: 0, output_tokens: 50, num_model_requests: 1 }), result({ api_key_id: 'key_abc', model: 'o3', input_tokens: 70, input_cached_tokens: 20, output_tokens: 9, num_model_requests: 2 })] },
    ];
    await importUsageFile({ orgId: org.id, vendor: 'openai', text: JSON.stringify(page) });
    expect(await usageRowsOf(org.id)).toEqual([
      // The API key's result: 70 - 20 cached = 50 in.
      { day: '2024-11-01', tool: 'openai', identityKey: 'key_abc', model: 'o3', personId: null, tokensIn: 50, tokensOut: 9, tokensCacheRead: 20, requests: 2 },
      // Two hours of Ada's: (1000 - 400) + 200 = 800 in, 400 cached, 300 + 50 = 350 out, 5 + 1 = 6 requests.
      { day: '2024-11-01', tool: 'openai', identityKey: 'user-ada', model: 'gpt-4o', personId: ada.id, tokensIn: 800, tokensOut: 350, tokensCacheRead: 400, requests: 6 },
    ]);
  });

  test('a costs page is not a usage page', async () => {
    const org = await seedOrg();
    const costs = { object: 'page', data: [{ object: 'bucket', start_time: 1730419200, end_time: 1730505600, results: [{ object: 'organization.costs.result', amount: { value: 0.06, currency: 'usd' } }] }] };
    await expect(importUsageFile({ orgId: org.id, vendor: 'openai', text: JSON.stringify(costs) })).rejects.toThrow(/^Not an OpenAI completions usage page/);
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });
});
