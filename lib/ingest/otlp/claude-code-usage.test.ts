import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectClaudeCodeUsage, emptyFigures, utcDayOfNanos } from './claude-code-usage.ts';
import { metricsRequestSchema } from './otlp-schemas.ts';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/otlp', name), 'utf8'));

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
function request(metrics: object[], resource: object[] = [attr('service.name', 'claude-code')]) {
  return metricsRequestSchema.parse({ resourceMetrics: [{ resource: { attributes: resource }, scopeMetrics: [{ scope: { name: 'com.anthropic.claude_code' }, metrics }] }] });
}
const NOON = '1767268800000000000'; // 2026-01-01T12:00:00Z
const sum = (name: string, temporality: number, points: object[]) => ({ name, sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints: points } });
const point = (value: number | string, attributes: object[], time = NOON, start = '1767225600000000000') => ({
  attributes,
  startTimeUnixNano: start,
  timeUnixNano: time,
  ...(typeof value === 'string' ? { asInt: value } : { asDouble: value }),
});

describe('collectClaudeCodeUsage', () => {
  test('the documented Claude Code export sums to hand-worked figures per model; the decision metric is not counted', () => {
    const usage = collectClaudeCodeUsage(metricsRequestSchema.parse(fixture('otlp_metrics_export_request.json')));
    const byModel = Object.fromEntries(usage.deltas.map((d) => [d.model, d]));
    expect(usage.deltas).toHaveLength(3);
    // session 1, pull request 1, commits 2, active time 48.2 (user) + 211.7 (cli) s: no model attribute.
    expect(byModel['']).toEqual({ day: '2026-01-01', identityKey: 'dev@example.com', model: '', figures: { ...emptyFigures(), sessions: 1, pullRequests: 1, commits: 2, activeSeconds: 48.2 + 211.7 } });
    expect(byModel['claude-sonnet-4-5-20250929']!.figures).toEqual({
      ...emptyFigures(),
      tokensIn: 1834,
      tokensOut: 6120,
      tokensCacheRead: 412300,
      tokensCacheWrite: 28750,
      costUsd: 0.4187,
      linesAdded: 142,
      linesRemoved: 37,
    });
    expect(byModel['claude-haiku-4-5-20251001']!.figures).toEqual({ ...emptyFigures(), costUsd: 0.0123 });
    expect(usage).toMatchObject({ cumulative: [], ignoredPoints: 2, ignoredMetrics: ['claude_code.code_edit_tool.decision'], skippedPoints: 0 });
  });

  test('the OTLP specification example has no Claude Code usage: every point is ignored', () => {
    const usage = collectClaudeCodeUsage(metricsRequestSchema.parse(fixture('otlp_spec_example_metrics.json')));
    expect(usage.deltas).toEqual([]);
    expect(usage.cumulative).toEqual([]);
    expect(usage.ignoredMetrics).toEqual(['my.counter', 'my.exponential.histogram', 'my.gauge', 'my.histogram']);
  });

  test.each([
    ['a point email first', [attr('user.email', 'Ann@Example.COM'), attr('user.account_uuid', 'u-1')], [attr('user.email', 'res@example.com')], 'ann@example.com'],
    ['the resource email next', [attr('user.account_uuid', 'u-1')], [attr('user.email', 'res@example.com')], 'res@example.com'],
    ['the account uuid without an email', [attr('user.account_uuid', 'u-1'), attr('user.id', 'id-1')], [], 'u-1'],
    ['the user id last', [attr('user.id', 'id-1')], [], 'id-1'],
    ['nothing: an empty key', [], [], ''],
  ])('identity: %s', (_name, pointAttrs, resourceAttrs, identityKey) => {
    const usage = collectClaudeCodeUsage(request([sum('claude_code.commit.count', 1, [point(1, pointAttrs)])], resourceAttrs));
    expect(usage.deltas.map((d) => d.identityKey)).toEqual([identityKey]);
  });

  test('asInt and asDouble both count; points of one key in one report add up; each point lands on its own UTC day', () => {
    const ann = [attr('user.email', 'ann@example.com'), attr('type', 'input'), attr('model', 'm')];
    const usage = collectClaudeCodeUsage(
      request([sum('claude_code.token.usage', 1, [point('4000000000', ann), point(7, ann), point(5, ann, '1767311999999999999'), point(3, ann, '1767312000000000000')])]),
    );
    expect(usage.deltas.map((d) => [d.day, d.figures.tokensIn])).toEqual([
      ['2026-01-01', 4_000_000_012],
      ['2026-01-02', 3],
    ]);
  });

  test('points without a time or value, flagged as having none, or negative are skipped; unknown types and other services are ignored', () => {
    const who = attr('user.email', 'ann@example.com');
    const usage = collectClaudeCodeUsage(
      request([
        sum('claude_code.commit.count', 1, [point(1, [who], '0'), { attributes: [who], timeUnixNano: NOON }, { ...point(2, [who]), flags: 1 }, point(-1, [who])]),
        sum('claude_code.token.usage', 1, [point(10, [who, attr('type', 'constructor')]), point(10, [who, attr('type', 'reasoning')])]),
        sum('http.server.requests', 1, [point(10, [who])]),
      ]),
    );
    expect(usage).toEqual({ deltas: [], cumulative: [], ignoredPoints: 3, ignoredMetrics: ['claude_code.token.usage', 'http.server.requests'], skippedPoints: 4 });
  });

  test('a CUMULATIVE series keeps its highest value per day; series differ by attributes and start time', () => {
    const who = [attr('user.email', 'ann@example.com')];
    const usage = collectClaudeCodeUsage(
      request([
        sum('claude_code.commit.count', 2, [
          point(3, who, '1767268800000000000'),
          point(5, who, '1767272400000000000'),
          point(8, who, '1767312000000000000'), // the next day
          point(1, who, '1767272400000000000', '1767270000000000000'), // restarted: a new series
        ]),
        sum('claude_code.session.count', 0, [point(2, who)]), // UNSPECIFIED counts as cumulative
      ]),
    );
    expect(usage.deltas).toEqual([]);
    const rows = usage.cumulative.map((c) => [c.day, c.figures.commits, c.figures.sessions]);
    expect(rows).toEqual([
      ['2026-01-01', 5, 0],
      ['2026-01-02', 8, 0],
      ['2026-01-01', 1, 0],
      ['2026-01-01', 0, 2],
    ]);
    const ids = usage.cumulative.map((c) => c.seriesId);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
  });

  test.each([
    ['1767225600000000000', '2026-01-01'],
    ['1767225599999999999', '2025-12-31'],
    [0, null],
    [undefined, null],
  ])('utcDayOfNanos(%s) = %s', (nanos, day) => {
    expect(utcDayOfNanos(nanos)).toBe(day);
  });
});
