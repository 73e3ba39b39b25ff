'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { PALETTE } from '@/components/charts/palette.ts';
import { shortWeek } from '@/components/charts/format.ts';
import type { Annotation } from './useAnnotations.ts';
import { formatTick, formatTooltip, type ChartDef, type ChartRow, type SeriesDef } from './series.ts';

const TICK = { fontSize: 12, fill: '#4b5563' };

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Label of an annotation's reference line, along the top of the plot; neighbours alternate rows so they do not overlap. */
function AnnotationLabel({ viewBox, text, row }: { viewBox?: { x?: number; y?: number }; text: string; row: number }) {
  const x = viewBox?.x ?? 0;
  const y = (viewBox?.y ?? 0) + 12 + row * 14;
  return (
    <text x={x + 4} y={y} fontSize={11} fill="#374151" stroke="#fff" strokeWidth={3} paintOrder="stroke">
      {text}
    </text>
  );
}

/** A point of a line that opens the drill-down when clicked. */
function ClickDot({ cx, cy, r, color, onClick, label }: { cx?: number | null; cy?: number | null; r: number; color: string; onClick?: () => void; label: string }) {
  if (cx === null || cx === undefined || cy === null || cy === undefined) return null;
  return (
    <circle
      cx={cx} cy={cy} r={r} fill={color} stroke="#fff" strokeWidth={1.5}
      style={onClick ? { cursor: 'pointer' } : undefined}
      onClick={onClick}
      data-series={label}
    />
  );
}

/**
 * One weekly chart of the team page: bars and lines on one or two value axes, annotations as
 * labelled vertical lines at their week, a click on a bar or point opening that week's drill-down.
 */
export function WeeklyChart({
  def,
  rows,
  annotations,
  height,
  onDrill,
  labelLength = 28,
}: {
  def: ChartDef;
  rows: ChartRow[];
  annotations: Map<string, Annotation[]>;
  height: number;
  onDrill: (series: SeriesDef, weekStart: string) => void;
  labelLength?: number;
}) {
  const kinds = new Map(def.series.map((s) => [s.key, s.kind]));
  const inRange = new Set(rows.map((r) => r.weekStart));
  const marks = [...annotations.entries()].filter(([week]) => inRange.has(week)).sort(([a], [b]) => a.localeCompare(b));
  const shareAxis = (kind: string) => (kind === 'share' ? ([0, 1] as [number, number]) : undefined);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={rows} margin={{ top: marks.length ? 34 : 8, right: 4, bottom: 0, left: 4 }} barCategoryGap="18%">
        <CartesianGrid stroke="#e5e7eb" vertical={false} />
        <XAxis dataKey="weekStart" type="category" tickFormatter={shortWeek} tick={TICK} minTickGap={12} />
        <YAxis
          yAxisId="left" tick={TICK} width={64} domain={shareAxis(def.left.kind)} tickFormatter={(v: number) => formatTick(def.left.kind, v)}
          label={{ value: def.left.label, angle: -90, position: 'insideLeft', style: { fontSize: 12, fill: '#4b5563', textAnchor: 'middle' } }}
        />
        {def.right && (
          <YAxis
            yAxisId="right" orientation="right" tick={TICK} width={64} tickFormatter={(v: number) => formatTick(def.right!.kind, v)}
            label={{ value: def.right.label, angle: 90, position: 'insideRight', style: { fontSize: 12, fill: '#4b5563', textAnchor: 'middle' } }}
          />
        )}
        <Tooltip
          labelFormatter={(w) => `Week of ${shortWeek(String(w))}`}
          formatter={(value, name, item) => [formatTooltip(kinds.get(String(item.dataKey)) ?? 'count', typeof value === 'number' ? value : null), name]}
        />
        <Legend wrapperStyle={{ fontSize: 13 }} itemSorter={null} formatter={(value) => <span style={{ color: '#374151' }}>{value}</span>} />
        {marks.map(([week, list], i) => (
          <ReferenceLine
            key={week} x={week} yAxisId="left" stroke={PALETTE.annotation} strokeDasharray="4 3" ifOverflow="extendDomain"
            label={<AnnotationLabel text={truncate(list.map((a) => a.label).join(' · '), labelLength)} row={i % 2} />}
          />
        ))}
        {def.series.map((s) =>
          s.type === 'bar' ? (
            <Bar
              key={s.key} dataKey={s.key} name={s.label} yAxisId={s.axis} stackId={s.stack} fill={s.color} isAnimationActive={false}
              cursor={s.drilldown ? 'pointer' : undefined}
              onClick={s.drilldown ? (d) => onDrill(s, String((d.payload as ChartRow).weekStart)) : undefined}
            />
          ) : (
            <Line
              key={s.key} dataKey={s.key} name={s.label} yAxisId={s.axis} stroke={s.color} strokeDasharray={s.dash} strokeWidth={2.5}
              connectNulls={false} isAnimationActive={false}
              dot={(p) => (
                <ClickDot key={`${s.key}-${p.index}`} cx={p.cx} cy={p.cy} r={3.5} color={s.color} label={s.key}
                  onClick={s.drilldown ? () => onDrill(s, String((p.payload as ChartRow).weekStart)) : undefined} />
              )}
              activeDot={(p) => (
                <ClickDot key={`${s.key}-active`} cx={p.cx} cy={p.cy} r={6} color={s.color} label={s.key}
                  onClick={s.drilldown ? () => onDrill(s, String((p.payload as ChartRow).weekStart)) : undefined} />
              )}
            />
          ),
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
