import { z } from 'zod';

// The parts of an OTLP ExportMetricsServiceRequest (OTLP/JSON form) the receiver reads. Every
// object is loose: fields this does not name (histograms' buckets, exemplars, fields added by later
// OTLP versions) are accepted. Request bodies are checked with it before protobufjs converts them,
// so a wrong type is a 400 naming its path; stored requests are read with it again by the handler.

const uint64 = z.union([z.string().regex(/^\d+$/, 'must be a decimal unsigned 64-bit integer'), z.number().int().nonnegative()]);
const int64 = z.union([z.string().regex(/^-?\d+$/, 'must be a decimal 64-bit integer'), z.number().int()]);
// proto3 JSON: a number, a numeric string, or one of the three special values.
const double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']), z.string().regex(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'must be a number')]);
const temporality = z.union([z.number().int().min(0).max(2), z.enum(['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'])]);

export type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number | string; arrayValue?: { values?: AnyValue[] }; kvlistValue?: { values?: KeyValue[] }; bytesValue?: string };
export type KeyValue = { key: string; value?: AnyValue };

const anyValue: z.ZodType<AnyValue> = z.lazy(() =>
  z.looseObject({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: double.optional(),
    arrayValue: z.looseObject({ values: z.array(anyValue).optional() }).optional(),
    kvlistValue: z.looseObject({ values: z.array(keyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const keyValue: z.ZodType<KeyValue> = z.lazy(() => z.looseObject({ key: z.string(), value: anyValue.optional() }));
const attributes = z.array(keyValue).optional();

const numberDataPoint = z.looseObject({
  attributes,
  startTimeUnixNano: uint64.optional(),
  timeUnixNano: uint64.optional(),
  asDouble: double.optional(),
  asInt: int64.optional(),
  flags: z.number().int().nonnegative().optional(),
});
export type NumberDataPoint = z.infer<typeof numberDataPoint>;

const metric = z.looseObject({
  name: z.string().default(''),
  unit: z.string().optional(),
  sum: z.looseObject({ dataPoints: z.array(numberDataPoint).optional(), aggregationTemporality: temporality.optional(), isMonotonic: z.boolean().optional() }).optional(),
  gauge: z.looseObject({ dataPoints: z.array(numberDataPoint).optional() }).optional(),
  histogram: z.looseObject({}).optional(),
  exponentialHistogram: z.looseObject({}).optional(),
  summary: z.looseObject({}).optional(),
});

const resourceMetrics = z.looseObject({
  resource: z.looseObject({ attributes }).optional(),
  scopeMetrics: z
    .array(z.looseObject({ scope: z.looseObject({ name: z.string().optional(), version: z.string().optional() }).optional(), metrics: z.array(metric).optional() }))
    .optional(),
});

/** A stored request (protobufjs leaves an empty `resourceMetrics` out). */
export const metricsRequestSchema = z.looseObject({ resourceMetrics: z.array(resourceMetrics).default([]) });
export type MetricsRequest = z.infer<typeof metricsRequestSchema>;

/** An OTLP/JSON request body: `resourceMetrics` is required, an empty list is fine. */
export const metricsRequestBodySchema = metricsRequestSchema.extend({ resourceMetrics: z.array(resourceMetrics) });
