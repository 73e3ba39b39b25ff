import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { AppError } from '../../http/errors.ts';
import { parseJsonText } from '../json-body.ts';
import { readBodyWithLimit } from '../read-body.ts';
import { ExportMetricsServiceRequest, OTLP_JSON_OPTIONS } from './otlp-proto.ts';
import { metricsRequestBodySchema } from './otlp-schemas.ts';

// Reads an OTLP/HTTP metrics export into its plain OTLP/JSON form, whichever encoding it came in,
// so a request means the same stored payload (and content hash) sent as protobuf or as JSON.

/** Claude Code sends a few KB a minute; the limit is on the body as sent and once decompressed. */
export const MAX_OTLP_BODY_BYTES = 8 * 1024 * 1024;

export type OtlpEncoding = 'protobuf' | 'json';
const ENCODINGS: Record<string, OtlpEncoding> = { 'application/x-protobuf': 'protobuf', 'application/json': 'json' };

const gunzipAsync = promisify(gunzip);

function encodingOf(request: Request): OtlpEncoding {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding = ENCODINGS[type];
  if (!encoding) throw new AppError('unsupported_media_type', 'Content-Type must be application/x-protobuf or application/json');
  return encoding;
}

async function decompress(request: Request, body: Buffer, limit: number): Promise<Buffer> {
  const coding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (coding === 'identity' || coding === '') return body;
  if (coding !== 'gzip') throw new AppError('unsupported_media_type', 'Content-Encoding must be gzip or identity');
  try {
    return await gunzipAsync(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new AppError('payload_too_large', `Body over ${limit} bytes once decompressed`);
    throw new AppError('bad_request', 'Body is not valid gzip');
  }
}

function fromProtobuf(bytes: Buffer): Record<string, unknown> {
  try {
    return ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(bytes), OTLP_JSON_OPTIONS);
  } catch (error) {
    throw new AppError('bad_request', `Body is not a protobuf ExportMetricsServiceRequest: ${(error as Error).message}`);
  }
}

function fromJson(bytes: Buffer): Record<string, unknown> {
  const parsed: unknown = parseJsonText(bytes.toString('utf8'));
  // Field types first, with paths (a ZodError is a 400 naming them); then protobufjs, which refuses
  // what the schema leaves open (e.g. a non-object where a message belongs) and drops unknown fields.
  metricsRequestBodySchema.parse(parsed);
  try {
    return ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.fromObject(parsed as Record<string, unknown>), OTLP_JSON_OPTIONS);
  } catch (error) {
    throw new AppError('bad_request', `Body is not an OTLP/JSON ExportMetricsServiceRequest: ${(error as Error).message.replace(/^\.opentelemetry\.proto\.[\w.]+?\.(?=[A-Z])/, '')}`);
  }
}

/** The request as OTLP/JSON and how it was encoded (the answer uses the same); 4xx when unreadable. */
export async function readOtlpMetricsRequest(request: Request, limit = MAX_OTLP_BODY_BYTES): Promise<{ encoding: OtlpEncoding; payload: Record<string, unknown> }> {
  const encoding = encodingOf(request);
  const body = await decompress(request, await readBodyWithLimit(request, limit), limit);
  return { encoding, payload: encoding === 'protobuf' ? fromProtobuf(body) : fromJson(body) };
}
