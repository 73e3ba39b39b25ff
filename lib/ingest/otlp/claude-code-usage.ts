import { createHash } from 'node:crypto';
import type { AnyValue, KeyValue, MetricsRequest, NumberDataPoint } from './otlp-schemas.ts';

// Claude Code's OpenTelemetry metrics (https://code.claude.com/docs/en/monitoring-usage) as usage
// figures per UTC day, identity and model. Pure: the handler stores what this returns.

export const USAGE_FIGURES = ['tokensIn', 'tokensOut', 'tokensCacheRead', 'tokensCacheWrite', 'costUsd', 'linesAdded', 'linesRemoved', 'commits', 'pullRequests', 'sessions', 'activeSeconds'] as const;
export type UsageFigure = (typeof USAGE_FIGURES)[number];
export type UsageFigures = Record<UsageFigure, number>;

type Attributes = Record<string, string>;

/** `table[key]` for the table's own keys only (an attribute value is any string, "constructor" too). */
function lookup<T>(table: Record<string, T>, key: string | undefined): T | null {
  return key !== undefined && Object.hasOwn(table, key) ? table[key]! : null;
}

/** Which figure a data point adds to, by metric name and the point's `type` attribute; null = none. */
const FIGURE_OF = new Map<string, (attrs: Attributes) => UsageFigure | null>(Object.entries({
  'claude_code.token.usage': (a) => lookup<UsageFigure>({ input: 'tokensIn', output: 'tokensOut', cacheRead: 'tokensCacheRead', cacheCreation: 'tokensCacheWrite' }, a.type),
  'claude_code.cost.usage': () => 'costUsd',
  'claude_code.lines_of_code.count': (a) => lookup<UsageFigure>({ added: 'linesAdded', removed: 'linesRemoved' }, a.type),
  'claude_code.commit.count': () => 'commits',
  'claude_code.pull_request.count': () => 'pullRequests',
  'claude_code.session.count': () => 'sessions',
  // Both kinds: `user` (keyboard interaction) and `cli` (tools and model responses running).
  'claude_code.active_time.total': () => 'activeSeconds',
} satisfies Record<string, (attrs: Attributes) => UsageFigure | null>));

export interface UsageKey {
  /** UTC date of the point's timeUnixNano, YYYY-MM-DD. */
  day: string;
  /** user.email lower-cased, else user.account_uuid, else user.id; '' when none is sent. */
  identityKey: string;
  /** The `model` attribute; '' for metrics without one (commits, sessions…). */
  model: string;
}

/** A DELTA report's share of a day: the sum of its points. */
export interface DeltaShare extends UsageKey {
  figures: UsageFigures;
}

/** A CUMULATIVE series' highest value on a day (its running total since startTimeUnixNano). */
export interface CumulativeSeriesDay extends UsageKey {
  seriesId: string;
  figures: UsageFigures;
}

export interface ClaudeCodeUsage {
  deltas: DeltaShare[];
  cumulative: CumulativeSeriesDay[];
  /** Data points of metrics that are not Claude Code usage (other services, unmapped metrics). */
  ignoredPoints: number;
  ignoredMetrics: string[];
  /** Claude Code points without a usable time or value (or flagged as having none). */
  skippedPoints: number;
}

export const emptyFigures = (): UsageFigures => Object.fromEntries(USAGE_FIGURES.map((f) => [f, 0])) as UsageFigures;

function attributeText(value: AnyValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  return undefined;
}

function attributeMap(list: readonly KeyValue[] | undefined): Attributes {
  const map: Attributes = Object.create(null) as Attributes;
  for (const { key, value } of list ?? []) {
    const text = attributeText(value);
    if (text !== undefined) map[key] = text;
  }
  return map;
}

/** The identity of a point: its own attributes first, then the resource's. */
function identityKeyOf(point: Attributes, resource: Attributes): string {
  const pick = (key: string) => lookup(point, key) || lookup(resource, key) || undefined;
  return pick('user.email')?.trim().toLowerCase() || pick('user.account_uuid') || pick('user.id') || '';
}

/** UTC day of a nanosecond timestamp; null for a missing or zero one (the spec says reject those). */
export function utcDayOfNanos(nanos: string | number | undefined): string | null {
  if (nanos === undefined || BigInt(nanos) === 0n) return null;
  return new Date(Number(BigInt(nanos) / 1_000_000n)).toISOString().slice(0, 10);
}

function pointValue(point: NumberDataPoint): number | null {
  const raw = point.asDouble ?? point.asInt;
  if (raw === undefined) return null;
  const value = Number(raw);
  // Counters never go down; a negative or non-finite value is not a usage figure.
  return Number.isFinite(value) && value >= 0 ? value : null;
}

// The value field (oneof) and DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK mark points without a value.
const NO_RECORDED_VALUE = 1;

/**
 * Claude Code's usage in a request. DELTA points (Claude Code's default) are summed per key; each
 * CUMULATIVE series (metric + point attributes + resource attributes + scope + start time) keeps
 * its highest value per day, which the handler turns into that day's increase. UNSPECIFIED
 * temporality is read as CUMULATIVE: taking the highest value can never count a report twice.
 */
export function collectClaudeCodeUsage(request: MetricsRequest): ClaudeCodeUsage {
  const deltas = new Map<string, DeltaShare>();
  const cumulative = new Map<string, CumulativeSeriesDay>();
  const ignored = new Map<string, number>();
  let skippedPoints = 0;

  for (const resourceMetrics of request.resourceMetrics) {
    const resourceList = resourceMetrics.resource?.attributes;
    const resource = attributeMap(resourceList);
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      for (const metric of scopeMetrics.metrics ?? []) {
        const figureOf = FIGURE_OF.get(metric.name);
        const points = metric.sum?.dataPoints ?? [];
        if (!figureOf || !metric.sum) {
          const count = points.length + (metric.gauge?.dataPoints?.length ?? 0);
          ignored.set(metric.name, (ignored.get(metric.name) ?? 0) + Math.max(count, 1));
          continue;
        }
        const isDelta = metric.sum.aggregationTemporality === 1 || metric.sum.aggregationTemporality === 'AGGREGATION_TEMPORALITY_DELTA';
        for (const point of points) {
          const attrs = attributeMap(point.attributes);
          const figure = figureOf(attrs);
          const day = utcDayOfNanos(point.timeUnixNano);
          const value = pointValue(point);
          if (!figure) {
            ignored.set(metric.name, (ignored.get(metric.name) ?? 0) + 1);
            continue;
          }
          if (day === null || value === null || ((point.flags ?? 0) & NO_RECORDED_VALUE) !== 0) {
            skippedPoints++;
            continue;
          }
          const key: UsageKey = { day, identityKey: identityKeyOf(attrs, resource), model: lookup(attrs, 'model') ?? '' };
          if (isDelta) {
            const id = JSON.stringify([key.day, key.identityKey, key.model]);
            const share = deltas.get(id) ?? { ...key, figures: emptyFigures() };
            share.figures[figure] += value;
            deltas.set(id, share);
            continue;
          }
          const seriesId = seriesIdOf({ metric: metric.name, scope: scopeMetrics.scope?.name ?? '', point: point.attributes, resource: resourceList, start: String(point.startTimeUnixNano ?? '0') });
          const id = `${seriesId}:${day}`;
          const series = cumulative.get(id) ?? { ...key, seriesId, figures: emptyFigures() };
          series.figures[figure] = Math.max(series.figures[figure], value);
          cumulative.set(id, series);
        }
      }
    }
  }
  return { deltas: [...deltas.values()], cumulative: [...cumulative.values()], ignoredPoints: [...ignored.values()].reduce((a, b) => a + b, 0), ignoredMetrics: [...ignored.keys()].sort(), skippedPoints };
}

function canonicalAttributes(list: readonly KeyValue[] | undefined): [string, AnyValue | undefined][] {
  return [...(list ?? [])].map((kv): [string, AnyValue | undefined] => [kv.key, kv.value]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A stable id of a cumulative time series: everything that identifies it, hashed. */
function seriesIdOf(parts: { metric: string; scope: string; point: readonly KeyValue[] | undefined; resource: readonly KeyValue[] | undefined; start: string }): string {
  const text = JSON.stringify([parts.metric, parts.scope, canonicalAttributes(parts.point), canonicalAttributes(parts.resource), parts.start]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
