import { describe, expect, it } from 'vitest';
import { DRILLDOWN_METRIC_NAMES, type Drilldown } from '@/lib/metrics/drilldown-schemas.ts';
import { describeAggregate, figureFromRows, formatFigure, kindOfMetric, METRIC_LABELS } from './figure.ts';

const answer = (aggregate: Drilldown['aggregate'], value: string | null, rows: Record<string, unknown>[], kind: Drilldown['kind'] = 'pull_requests') =>
  ({ aggregate, value, kind, rows }) as unknown as Drilldown;

describe('drill-down figure', () => {
  it('remakes each aggregate from the rows as SQL does (interpolated percentiles, nulls left out)', () => {
    const rows = [{ h: 1 }, { h: 4 }, { h: 2 }, { h: null }, { h: 10 }];
    expect(figureFromRows(answer('count', null, rows))).toBe(5);
    expect(figureFromRows(answer('sum', 'h', rows))).toBe(17);
    expect(figureFromRows(answer('p50', 'h', rows))).toBe(3); // 1 2 | 4 10 → 3
    expect(figureFromRows(answer('p85', 'h', rows))).toBeCloseTo(4 + 0.55 * 6); // pos 2.55
    expect(figureFromRows(answer('mean', 'h', rows))).toBe(4.25);
    expect(figureFromRows(answer('p50', 'h', []))).toBeNull();
    expect(figureFromRows(answer('share', 'ai', [{ ai: true }, { ai: false }, { ai: false }, { ai: true }]))).toBe(0.5);
    expect(figureFromRows(answer('share', 'ai', []))).toBeNull();
    expect(figureFromRows(answer('distinct', 'p', [{ p: 'a' }, { p: 'b' }, { p: 'a' }]))).toBe(2);
    expect(figureFromRows(answer('perDistinct', 'p', [{ p: 'a' }, { p: 'b' }, { p: 'a' }]))).toBe(1.5);
    expect(figureFromRows(answer('perDistinct', 'p', []))).toBeNull();
  });

  it('says how the figure is made, in words', () => {
    expect(describeAggregate(answer('p50', 'cycleHours', [{}, {}, {}]))).toBe('p50 (median) of cycle time over 3 pull requests');
    expect(describeAggregate(answer('count', null, [{}], 'tickets'))).toBe('count of 1 ticket');
    expect(describeAggregate(answer('sum', 'aiAdditions', [{}, {}], 'commits'))).toBe('sum of AI-attributed lines added over 2 commits');
    expect(describeAggregate(answer('perDistinct', 'reviewerId', [{}, {}, {}], 'reviews'))).toBe('3 reviews per distinct reviewer');
    expect(describeAggregate(answer('share', 'passed', [{}, {}], 'head_commits'))).toBe('share of first-run passes among 2 PR head commits');
  });

  it('formats a figure in its unit', () => {
    expect(formatFigure('prCycleP50Hours', 7.54)).toBe('7.5 h');
    expect(formatFigure('aiPrShare', 0.425)).toBe('43%');
    expect(formatFigure('costUsd', 12.4)).toBe('$12.40');
    expect(formatFigure('prsMerged', 1234)).toBe('1,234');
    expect(formatFigure('ticketToMergeP50Hours', null)).toBe('–');
    expect(formatFigure('reviewsPerReviewer', 2.3333)).toBe('2.33');
  });

  it('names every drill-down figure and knows its kind of rows as the server does', () => {
    for (const m of DRILLDOWN_METRIC_NAMES) expect(METRIC_LABELS[m].name.length).toBeGreaterThan(0);
    expect(kindOfMetric('ticketCycleWaitingP50Hours')).toBe('tickets');
    expect(kindOfMetric('ticketsDone')).toBe('tickets');
    expect(kindOfMetric('aiLinesAdded')).toBe('commits');
    expect(kindOfMetric('aiLinesAccepted')).toBe('ai_usage');
    expect(kindOfMetric('activeAiUsers')).toBe('ai_usage');
    expect(kindOfMetric('timeToFirstReviewP50HoursAi')).toBe('pull_requests');
    expect(kindOfMetric('firstRunPassRateHuman')).toBe('head_commits');
    expect(kindOfMetric('reworkPrShareAi')).toBe('pull_requests');
    expect(kindOfMetric('timeToRestoreP50Hours')).toBe('incidents');
  });
});
