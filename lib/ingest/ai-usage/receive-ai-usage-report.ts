import type { Prisma } from '../../db/generated/client.ts';
import { storeRawEvent } from '../raw-events.ts';
import { parseJsonText } from '../json-body.ts';
import { assertContentType, keptHeaders, readBodyWithLimit } from '../read-body.ts';
import { wakeWorker } from '../worker.ts';
import { contentDeliveryId } from './content-delivery-id.ts';
import { readAiUsageReport, type StoredCsvReport } from './read-ai-usage-report.ts';

export const MAX_AI_USAGE_BYTES = 10 * 1024 * 1024;
const KEPT_HEADERS = ['user-agent', 'content-type'];

/**
 * A generic usage report (JSON or CSV, up to 10 MB): validated whole (a bad record refuses the
 * report, nothing stored), then stored raw as `ai_usage.report`; 202 when new, 200 when the same
 * body was received before.
 */
export async function receiveAiUsageReport({ orgId, request }: { orgId: string; request: Request }): Promise<Response> {
  assertContentType(request, ['application/json', 'text/csv']);
  const body = await readBodyWithLimit(request, MAX_AI_USAGE_BYTES);
  const isCsv = request.headers.get('content-type')!.split(';')[0]!.trim().toLowerCase() === 'text/csv';
  let payload: Prisma.InputJsonValue;
  if (isCsv) payload = { csv: body.toString('utf8') } satisfies StoredCsvReport;
  else payload = parseJsonText(body.toString('utf8'));
  const records = readAiUsageReport(payload);
  const deliveryId = contentDeliveryId('report', body);
  const { stored } = await storeRawEvent({ orgId, source: 'ai_usage', deliveryId, eventType: 'ai_usage.report', headers: keptHeaders(request, KEPT_HEADERS), payload });
  if (stored) wakeWorker();
  return Response.json({ deliveryId, stored, records: records.length }, { status: stored ? 202 : 200 });
}
