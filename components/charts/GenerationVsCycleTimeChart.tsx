'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WeekMetrics } from '@/lib/metrics/schemas.ts';

const COLORS = { ai: '#7c3aed', human: '#c4b5fd', cycle: '#ea580c' };

function shortWeek(weekStart: string): string {
  const d = new Date(`${weekStart}T00:00:00Z`);
  return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/**
 * The product's headline chart: weekly lines added (AI-attributed stacked under the rest) as bars
 * against ticket-to-merge cycle time p50 as a line on its own axis.
 */
export function GenerationVsCycleTimeChart({ weeks }: { weeks: WeekMetrics[] }) {
  const data = weeks.map((w) => ({
    week: shortWeek(w.weekStart),
    weekStart: w.weekStart,
    aiLines: w.aiLinesAdded,
    otherLines: w.linesAdded - w.aiLinesAdded,
    cycleP50: w.ticketToMergeP50Hours === null ? null : Math.round(w.ticketToMergeP50Hours * 10) / 10,
  }));
  return (
    <ResponsiveContainer width="100%" height={360}>
      <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid stroke="#e5e7eb" vertical={false} />
        <XAxis dataKey="week" tick={{ fontSize: 12 }} />
        <YAxis yAxisId="lines" tick={{ fontSize: 12 }} label={{ value: 'lines added', angle: -90, position: 'insideLeft', fontSize: 12 }} />
        <YAxis yAxisId="hours" orientation="right" tick={{ fontSize: 12 }} label={{ value: 'cycle time p50 (h)', angle: 90, position: 'insideRight', fontSize: 12 }} />
        <Tooltip />
        <Legend />
        <Bar yAxisId="lines" dataKey="aiLines" name="AI-attributed lines" stackId="lines" fill={COLORS.ai} isAnimationActive={false} />
        <Bar yAxisId="lines" dataKey="otherLines" name="Other lines" stackId="lines" fill={COLORS.human} isAnimationActive={false} />
        <Line yAxisId="hours" dataKey="cycleP50" name="Ticket-to-merge p50 (h)" stroke={COLORS.cycle} strokeWidth={2.5} dot={{ r: 3 }} connectNulls={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
