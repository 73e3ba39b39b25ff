'use client';

import { Line, LineChart, YAxis } from 'recharts';
import { PALETTE } from '../charts/palette.ts';

export const SPARK_WIDTH = 120;
export const SPARK_HEIGHT = 30;

/**
 * A 12-week trend in a table cell: one line, no axes, the last week marked with a dot. Its text
 * alternative (the aria-label) names the first and last weeks with their values; the overview's
 * "Show data table" has every value.
 */
export function Sparkline({ values, label, color = PALETTE.ai }: { values: { week: string; value: number | null }[]; label: string; color?: string }) {
  const data = values.map((v, i) => ({ i, value: v.value }));
  const last = data.length - 1;
  return (
    <div role="img" aria-label={label} data-points={values.length} data-testid="sparkline" style={{ width: SPARK_WIDTH, height: SPARK_HEIGHT }}>
      <LineChart width={SPARK_WIDTH} height={SPARK_HEIGHT} data={data} margin={{ top: 4, right: 4, bottom: 4, left: 4 }} accessibilityLayer={false}>
        <YAxis hide domain={['dataMin', 'dataMax']} />
        <Line
          type="linear"
          dataKey="value"
          stroke={color}
          strokeWidth={1.75}
          connectNulls={false}
          isAnimationActive={false}
          dot={(props: { cx?: number; cy?: number; index?: number; value?: unknown }) =>
            props.index === last && props.value !== null && props.cx !== undefined && props.cy !== undefined ? (
              <circle key="last" cx={props.cx} cy={props.cy} r={2.5} fill={color} />
            ) : (
              <g key={`p${props.index}`} />
            )
          }
          activeDot={false}
        />
      </LineChart>
    </div>
  );
}
