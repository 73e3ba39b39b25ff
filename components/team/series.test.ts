import { describe, expect, it } from 'vitest';
import type { WeekMetrics } from '@/lib/metrics/schemas.ts';
import { DRILLDOWN_METRIC_NAMES } from '@/lib/metrics/drilldown-schemas.ts';
import { GEN_MODES, SECONDARY_CHARTS, chartRows, formatCell, formatTick, headlineChart, isEmptyChart } from './series.ts';

const week = (over: Partial<WeekMetrics>) => ({ weekStart: '2026-03-02', linesAdded: 0, aiLinesAdded: 0, tokens: 0, aiPrShare: null, ticketToMergeP50Hours: null, ticketToMergeP85Hours: null, ...over }) as WeekMetrics;

describe('team page series', () => {
  it('plots AI lines and the other lines, which add up to the lines added, against p50 and p85', () => {
    const rows = chartRows(headlineChart('lines'), [week({ linesAdded: 120, aiLinesAdded: 45, ticketToMergeP50Hours: 30.25, ticketToMergeP85Hours: 80 })]);
    expect(rows).toEqual([{ weekStart: '2026-03-02', aiLinesAdded: 45, otherLines: 75, ticketToMergeP50Hours: 30.25, ticketToMergeP85Hours: 80 }]);
  });
  it('switches the bars by generation measure and keeps the cycle-time lines', () => {
    expect(headlineChart('tokens').series.map((s) => s.key)).toEqual(['tokens', 'ticketToMergeP50Hours', 'ticketToMergeP85Hours']);
    expect(headlineChart('ai-share').series.map((s) => s.key)).toEqual(['aiPrShare', 'ticketToMergeP50Hours', 'ticketToMergeP85Hours']);
  });
  it('maps every clickable series to a drill-down the API knows', () => {
    const all = [...GEN_MODES.map(headlineChart), ...SECONDARY_CHARTS].flatMap((c) => c.series);
    for (const s of all) if (s.drilldown) expect(DRILLDOWN_METRIC_NAMES).toContain(s.drilldown.metric);
    // Each line opens the rows of the very figure it plots (the ratios per engineer: their numerator).
    for (const s of all) if (s.drilldown && !s.key.endsWith('PerEngineer') && s.key !== 'otherLines') expect(s.drilldown.metric, s.key).toBe(s.key);
    expect(all.find((s) => s.key === 'firstRunPassRateAi')?.drilldown?.metric).toBe('firstRunPassRateAi');
  });
  it('calls a chart empty when every value is 0 or null', () => {
    const def = headlineChart('tokens');
    expect(isEmptyChart(def, chartRows(def, [week({})]))).toBe(true);
    expect(isEmptyChart(def, chartRows(def, [week({ tokens: 5 })]))).toBe(false);
  });
  it('formats table cells and ticks by kind', () => {
    expect(formatCell('count', 12345)).toBe('12,345');
    expect(formatCell('hours', 30.25)).toBe('30.3');
    expect(formatCell('share', 0.4167)).toBe('41.7%');
    expect(formatCell('ratio', 1.5)).toBe('1.50');
    expect(formatCell('hours', null)).toBe('–');
    expect(formatTick('count', 1500000)).toBe('1.5M');
    expect(formatTick('share', 0.5)).toBe('50%');
  });
});
