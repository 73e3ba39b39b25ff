import { createHash } from 'node:crypto';
import type { Prisma } from '../../db/generated/client.ts';
import { keptHeaders } from '../read-body.ts';
import { storeRawEvent } from '../raw-events.ts';
import { wakeWorker } from '../worker.ts';
import { ExportMetricsServiceResponse } from './otlp-proto.ts';
import { readOtlpMetricsRequest, type OtlpEncoding } from './read-otlp-request.ts';

const KEPT_HEADERS = ['user-agent', 'content-type', 'content-encoding'];

/**
 * The answer OTLP/HTTP expects on success: an empty ExportMetricsServiceResponse in the request's
 * encoding (no partial_success: the whole request is stored).
 */
function exportResponse(encoding: OtlpEncoding): Response {
  if (encoding === 'json') return Response.json({}, { status: 200 });
  const bytes = ExportMetricsServiceResponse.encode(ExportMetricsServiceResponse.create({})).finish();
  return new Response(Buffer.from(bytes), { status: 200, headers: { 'content-type': 'application/x-protobuf' } });
}

/**
 * An OTLP metrics export, stored raw (as OTLP/JSON) before it is acknowledged. OTLP requests carry
 * no id: the delivery id is the SHA-256 of the decoded request, so an exporter's retry of the same
 * export is stored once (and answered 200 like the first).
 */
export async function receiveOtlpMetrics({ orgId, request }: { orgId: string; request: Request }): Promise<Response> {
  const { encoding, payload } = await readOtlpMetricsRequest(request);
  const deliveryId = createHash('sha256').update(JSON.stringify(payload)).digest('hex');
  const { stored } = await storeRawEvent({
    orgId,
    source: 'otlp',
    deliveryId,
    eventType: 'otlp.metrics',
    headers: keptHeaders(request, KEPT_HEADERS),
    payload: payload as Prisma.InputJsonValue,
  });
  if (stored) wakeWorker();
  return exportResponse(encoding);
}
