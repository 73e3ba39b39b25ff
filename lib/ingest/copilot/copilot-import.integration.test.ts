import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { importUsageFile } from '../ai-usage/import-usage-file.ts';
import { usageRowsOf } from '../ai-usage/usage-rows-for-tests.ts';

// `throughline import copilot`: GitHub's three Copilot formats, told apart by their fields, stored
// raw (source copilot) and processed by the worker. Expected figures are worked out from the files.

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/copilot', name), 'utf8');

const totalsOf = (orgId: string) =>
  db()
    .aiToolDailyTotal.findMany({ where: { orgId }, orderBy: [{ day: 'asc' }, { scope: 'asc' }], omit: { orgId: true, sourceEventId: true } })
    .then((rows) => rows.map((r) => ({ ...r, day: r.day.toISOString().slice(0, 10) })));

// org_copilot_metrics.json, 2024-06-24:
//   code completions over editors × models × languages:
//     suggestions 249 + 496 (vscode: python, ruby) + 112 + 132 (neovim: typescript, go) = 989
//     acceptances 123 + 253 + 56 + 67 = 499; lines suggested 225 + 520 + 143 + 154 = 1042; accepted 135 + 270 + 61 + 72 = 538
//   chat turns: IDE 45 (default model) + 10 (custom model) + github.com 38 = 93
//   PR summaries: 6 (demo/repo1) + 10 (demo/repo2) = 16
const METRICS_DAY = { day: '2024-06-24', tool: 'copilot', activeUsers: 24, engagedUsers: 20, suggestions: 989, acceptances: 499, linesSuggested: 1042, linesAccepted: 538, chatTurns: 93, prSummaries: 16 };

describe('throughline import copilot', () => {
  test("the metrics API's days become the org's daily totals; --team keeps a team's apart; a newer report of a day replaces it", async () => {
    const org = await seedOrg();
    const text = fixture('org_copilot_metrics.json');
    expect(await importUsageFile({ orgId: org.id, vendor: 'copilot', text })).toMatchObject({ eventType: 'copilot.metrics', stored: true, items: 1, status: 'processed' });
    expect(await importUsageFile({ orgId: org.id, vendor: 'copilot', text, team: 'platform' })).toMatchObject({ stored: true, status: 'processed' });
    expect(await totalsOf(org.id)).toEqual([
      { ...METRICS_DAY, scope: 'org' },
      { ...METRICS_DAY, scope: 'team:platform' },
    ]);
    const raw = await db().rawEvent.findMany({ where: { orgId: org.id }, orderBy: { receivedAt: 'asc' } });
    expect(raw.map((e) => [e.source, e.eventType, (e.payload as { scope: string }).scope])).toEqual([
      ['copilot', 'copilot.metrics', 'org'],
      ['copilot', 'copilot.metrics', 'team:platform'],
    ]);
    // Kept whole, fields Throughline does not read included.
    expect((raw[0]!.payload as { days: unknown[] }).days).toEqual(JSON.parse(text));
    expect(await importUsageFile({ orgId: org.id, vendor: 'copilot', text })).toMatchObject({ stored: false });

    // The next report covers the same day with final figures: the row is replaced, not added to.
    const later = JSON.parse(text);
    later[0].total_active_users = 30;
    later[0].copilot_dotcom_chat.models[0].total_chats = 40;
    later.push({ date: '2024-06-25', total_active_users: 3, total_engaged_users: 1, copilot_ide_code_completions: null, copilot_ide_chat: null, copilot_dotcom_chat: null, copilot_dotcom_pull_requests: null });
    await importUsageFile({ orgId: org.id, vendor: 'copilot', text: JSON.stringify(later) });
    expect(await totalsOf(org.id)).toEqual([
      // 45 + 10 + 40 chat turns.
      { ...METRICS_DAY, scope: 'org', activeUsers: 30, chatTurns: 95 },
      { ...METRICS_DAY, scope: 'team:platform' },
      // A day without activity: GitHub sends nulls, which read as 0.
      { day: '2024-06-25', tool: 'copilot', scope: 'org', activeUsers: 3, engagedUsers: 1, suggestions: 0, acceptances: 0, linesSuggested: 0, linesAccepted: 0, chatTurns: 0, prSummaries: 0 },
    ]);
  });

  test("the retired usage API's days are the org's totals as given, without engaged users or PR summaries", async () => {
    const org = await seedOrg();
    expect(await importUsageFile({ orgId: org.id, vendor: 'copilot', text: fixture('org_copilot_usage_legacy.json') })).toMatchObject({ eventType: 'copilot.usage_legacy', items: 2, status: 'processed' });
    const none = { tool: 'copilot', scope: 'org', engagedUsers: 0, prSummaries: 0 };
    expect(await totalsOf(org.id)).toEqual([
      { ...none, day: '2023-10-15', activeUsers: 10, suggestions: 1000, acceptances: 800, linesSuggested: 1800, linesAccepted: 1200, chatTurns: 200 },
      { ...none, day: '2023-10-16', activeUsers: 12, suggestions: 800, acceptances: 600, linesSuggested: 1100, linesAccepted: 700, chatTurns: 426 },
    ]);
  });

  test('the user-level report (JSON array as documented, or NDJSON as downloaded) becomes per-person rows, matched by GitHub login', async () => {
    const org = await seedOrg();
    const person = await db().person.create({ data: { orgId: org.id, displayName: 'One' } });
    await db().identity.create({ data: { orgId: org.id, personId: person.id, provider: 'github', externalId: '1', login: 'Login1' } });
    expect(await importUsageFile({ orgId: org.id, vendor: 'copilot', text: fixture('usage_metrics_report_users_example.json') })).toMatchObject({ eventType: 'copilot.user_report', items: 1, status: 'processed' });
    // login1, 2025-10-01: 1 generation, 1 acceptance, 10 lines suggested, 8 added (all code completion, so all accepted);
    // requests 0 IDE interactions + 2 CLI requests; 2 CLI sessions; CLI tokens 3800 prompt, 5000 output.
    const login1 = { day: '2025-10-01', tool: 'copilot', identityKey: 'login1', model: '', personId: person.id, suggestions: 1, acceptances: 1, linesSuggested: 10, linesAccepted: 8, linesAdded: 8, requests: 2, sessions: 2, tokensIn: 3800, tokensOut: 5000 };
    expect(await usageRowsOf(org.id)).toEqual([login1]);

    // The download: one object a line. A second user-day with agent edits: its 30 agent lines are
    // added but were never suggested, so only the 8 completion lines count as accepted.
    const [example] = JSON.parse(fixture('usage_metrics_report_users_example.json'));
    const agentDay = {
      ...example, day: '2025-10-02', user_login: 'login2', user_id: 2, totals_by_cli: null, user_initiated_interaction_count: 4, loc_added_sum: 38, loc_deleted_sum: 5,
      totals_by_feature: [{ ...example.totals_by_feature[0] }, { feature: 'agent_edit', loc_added_sum: 30, loc_deleted_sum: 5, code_generation_activity_count: 0, code_acceptance_activity_count: 0 }],
    };
    const ndjson = `${JSON.stringify(example)}\n${JSON.stringify(agentDay)}\n`;
    expect(await importUsageFile({ orgId: org.id, vendor: 'copilot', text: ndjson })).toMatchObject({ eventType: 'copilot.user_report', items: 2, stored: true, status: 'processed' });
    expect(await usageRowsOf(org.id)).toEqual([
      login1,
      { day: '2025-10-02', tool: 'copilot', identityKey: 'login2', model: '', personId: null, suggestions: 1, acceptances: 1, linesSuggested: 10, linesAccepted: 8, linesAdded: 38, linesRemoved: 5, requests: 4 },
    ]);
  });

  test('a file in no Copilot format, an empty one, or --team with a user report is refused and nothing is stored', async () => {
    const org = await seedOrg();
    const copilot = (text: string, team?: string) => importUsageFile({ orgId: org.id, vendor: 'copilot', text, team });
    await expect(copilot(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/cursor/admin_api_daily_usage_data.json'), 'utf8'))).rejects.toThrow(/^Not a Copilot report GitHub publishes: expected the metrics API's array of days/);
    await expect(copilot('[]')).rejects.toThrow('The file holds no days');
    await expect(copilot(fixture('usage_metrics_report_users_example.json'), 'platform')).rejects.toThrow('--team applies to org metrics; a user-level report is per person already');
    await expect(copilot(JSON.stringify([{ date: '2024-13-01', total_active_users: 1 }]))).rejects.toThrow('days[0].date: Invalid ISO date');
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });
});
