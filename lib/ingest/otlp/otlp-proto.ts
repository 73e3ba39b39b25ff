import protobuf from 'protobufjs';
import descriptor from './proto/otlp-metrics.descriptor.json' with { type: 'json' };

// The OTLP metrics messages, from the vendored opentelemetry-proto files (see proto/PROVENANCE.md).

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
const SERVICE = 'opentelemetry.proto.collector.metrics.v1';

export const ExportMetricsServiceRequest = root.lookupType(`${SERVICE}.ExportMetricsServiceRequest`);
export const ExportMetricsServiceResponse = root.lookupType(`${SERVICE}.ExportMetricsServiceResponse`);

/**
 * Message → plain object the way OTLP/JSON writes it: 64-bit integers as decimal strings, enums as
 * numbers, bytes as base64, NaN/Infinity as strings, fields left at their default omitted.
 */
export const OTLP_JSON_OPTIONS: protobuf.IConversionOptions = { longs: String, bytes: String, json: true };
