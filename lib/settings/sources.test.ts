import { describe, expect, test } from 'vitest';
import { WEBHOOK_SOURCES, webhookUrl } from '../auth/webhook-secrets.ts';
import { EventSource } from '../db/generated/enums.ts';
import { aiUsageReportSchema } from '../ingest/ai-usage/ai-usage-schemas.ts';
import { ciRunReportSchema } from '../ingest/ci/ci-schemas.ts';
import { computeSourceState, CREDENTIAL_SOURCE_IDS, getSourceDefinition, SOURCE_IDS, SOURCES, sourceUrl } from './sources.ts';
import { cliImportSnippet, TOKEN_PLACEHOLDER, tokenSourceSnippets } from './sources-snippets.ts';

describe('the sources catalogue', () => {
  test('lists every raw-event source but git_import, which writes tables directly and has no deliveries', () => {
    expect(SOURCES.map((s) => s.id)).toEqual([...SOURCE_IDS]);
    expect(Object.values(EventSource).filter((s) => !(SOURCE_IDS as readonly string[]).includes(s))).toEqual(['git_import']);
  });

  test('its webhook sources are the ones with signing secrets, at the URL the secrets API answers', () => {
    expect(SOURCES.filter((s) => s.kind === 'webhook').map((s) => s.id)).toEqual([...WEBHOOK_SOURCES]);
    for (const source of WEBHOOK_SOURCES) {
      expect(sourceUrl('https://tl.example.com/', 'acme', getSourceDefinition(source))).toBe(webhookUrl('https://tl.example.com/', 'acme', source));
    }
  });

  test('credential sources are the ones the credentials API takes; token sources name their scope', () => {
    expect(SOURCES.filter((s) => s.kind === 'credential').map((s) => s.id)).toEqual([...CREDENTIAL_SOURCE_IDS]);
    expect(SOURCES.filter((s) => s.kind === 'token').map((s) => [s.id, s.scope])).toEqual([['ci', 'ingest:write'], ['otlp', 'otlp:write'], ['ai_usage', 'ingest:write']]);
    expect(SOURCES.filter((s) => s.path === null).map((s) => s.id)).toEqual(['copilot', 'cursor', 'anthropic', 'openai']);
  });

  test.each([
    ['sources without a path have no URL', 'cursor', null],
    ['token sources send to their ingest path', 'otlp', 'https://tl.example.com/api/orgs/acme/otlp/v1/metrics'],
    ['generic AI usage sends to its ingest path', 'ai_usage', 'https://tl.example.com/api/orgs/acme/ingest/ai-usage'],
  ] as const)('%s: %s', (_why, id, url) => {
    expect(sourceUrl('https://tl.example.com', 'acme', getSourceDefinition(id))).toBe(url);
  });
});

describe('computeSourceState', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  test.each([
    [{ hasCredential: false, lastReceivedAt: null }, 'not_connected'],
    [{ hasCredential: true, lastReceivedAt: null }, 'awaiting_first_delivery'],
    [{ hasCredential: true, lastReceivedAt: new Date('2026-03-03T12:00:00Z') }, 'receiving'],
    [{ hasCredential: true, lastReceivedAt: new Date('2026-03-03T11:59:59Z') }, 'idle'],
    // Deliveries count even after the secret is gone: the source did send.
    [{ hasCredential: false, lastReceivedAt: new Date('2026-03-10T11:00:00Z') }, 'receiving'],
  ])('%j is %s', (input, state) => {
    expect(computeSourceState({ ...input, now })).toBe(state);
  });
});

describe('setup snippets', () => {
  const url = 'https://tl.example.com/api/orgs/acme/otlp/v1/metrics';

  test('Claude Code gets exactly the OpenTelemetry variables, with the token made on the page', () => {
    const [shell, settings] = tokenSourceSnippets(getSourceDefinition('otlp'), url, 'tl_abc');
    expect(shell!.text.split('\n')).toEqual([
      'export CLAUDE_CODE_ENABLE_TELEMETRY="1"',
      'export OTEL_METRICS_EXPORTER="otlp"',
      'export OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf"',
      `export OTEL_EXPORTER_OTLP_METRICS_ENDPOINT="${url}"`,
      'export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer tl_abc"',
    ]);
    expect(JSON.parse(settings!.text).env).toEqual({
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: url,
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer tl_abc',
    });
    expect(tokenSourceSnippets(getSourceDefinition('otlp'), url, null)[0]!.text).toContain(`Bearer ${TOKEN_PLACEHOLDER}"`);
  });

  test('CI snippets send to the URL, read the token from a CI secret, and the example report is one the API accepts', () => {
    const ciUrl = 'https://tl.example.com/api/orgs/acme/ingest/ci';
    const snippets = tokenSourceSnippets(getSourceDefinition('ci'), ciUrl, 'tl_never_in_ci_files');
    expect(snippets.map((s) => s.title)).toEqual(['GitHub Actions step', 'Any CI: a run report', 'Any CI: a JUnit report for that run']);
    expect(snippets.map((s) => s.text).join('\n')).not.toContain('tl_never_in_ci_files');
    expect(snippets[0]!.text).toContain(`THROUGHLINE_URL: ${ciUrl}\n`);
    expect(snippets[0]!.text).toContain('THROUGHLINE_TOKEN: ${{ secrets.THROUGHLINE_TOKEN }}');
    expect(snippets[0]!.text).toContain('--rawfile junit junit.xml');
    const report = JSON.parse(snippets[1]!.text.match(/--data '(.*)'$/m)![1]!);
    expect(ciRunReportSchema.safeParse(report).success).toBe(true);
    expect(snippets[2]!.text).toContain(`"${ciUrl}/$RUN_ID/junit?attempt=1"`);
  });

  test('the AI usage example is a report the API accepts', () => {
    const [report] = tokenSourceSnippets(getSourceDefinition('ai_usage'), 'https://tl.example.com/api/orgs/acme/ingest/ai-usage', null);
    expect(report!.text).toContain('"https://tl.example.com/api/orgs/acme/ingest/ai-usage"');
    expect(aiUsageReportSchema.safeParse(JSON.parse(report!.text.match(/--data '(.*)'$/m)![1]!)).success).toBe(true);
  });

  test('command-line imports name the source and the org; webhook sources have none', () => {
    expect(cliImportSnippet(getSourceDefinition('cursor'), 'acme')!.text).toBe('npx throughline import cursor daily-usage.json --org acme');
    expect(cliImportSnippet(getSourceDefinition('copilot'), 'acme')!.text).toBe('npx throughline import copilot copilot-metrics.json --org acme');
    expect(cliImportSnippet(getSourceDefinition('github'), 'acme')).toBeNull();
  });
});
