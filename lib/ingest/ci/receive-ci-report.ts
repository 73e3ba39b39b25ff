import type { z } from 'zod';
import { JunitParseError, parseJunit } from '../../ci/parse-junit.ts';
import { AppError } from '../../http/errors.ts';
import { storeRawEvent } from '../raw-events.ts';
import { parseJsonText } from '../json-body.ts';
import { assertContentType, keptHeaders, readBodyWithLimit } from '../read-body.ts';
import { wakeWorker } from '../worker.ts';
import { ciDeliveryId } from './ci-delivery-id.ts';
import { ciRunReportSchema, type junitUploadQuerySchema } from './ci-schemas.ts';

const KEPT_HEADERS = ['user-agent', 'content-type'];

/** Refuses a report that is not JUnit now (400), rather than failing in the worker later. */
function assertJunit(xml: string, field: string): void {
  try {
    parseJunit(xml);
  } catch (error) {
    if (error instanceof JunitParseError) throw new AppError('bad_request', `${field}: ${error.message}`);
    throw error;
  }
}

/** 202 once stored raw (the worker woken), 200 for a report already received. */
function accepted({ stored, deliveryId }: { stored: boolean; deliveryId: string }): Response {
  if (stored) wakeWorker();
  return Response.json({ deliveryId, stored }, { status: stored ? 202 : 200 });
}

/** A run report (JSON, up to 25 MB with its JUnit): validated, then stored raw as `ci.run`. */
export async function receiveCiRunReport({ orgId, request }: { orgId: string; request: Request }): Promise<Response> {
  assertContentType(request, ['application/json']);
  const body = await readBodyWithLimit(request);
  const payload = parseJsonText(body.toString('utf8'));
  const report = ciRunReportSchema.parse(payload);
  if (report.junit !== undefined) assertJunit(report.junit, 'junit');
  const deliveryId = ciDeliveryId({ runId: report.runId, attempt: report.attempt, kind: 'run', body });
  const { stored } = await storeRawEvent({ orgId, source: 'ci', deliveryId, eventType: 'ci.run', headers: keptHeaders(request, KEPT_HEADERS), payload });
  return accepted({ stored, deliveryId });
}

/** A JUnit report for a run reported on its own (XML body, up to 25 MB), stored raw as `ci.junit`. */
export async function receiveJunitUpload({ orgId, runId, query, request }: { orgId: string; runId: string; query: z.infer<typeof junitUploadQuerySchema>; request: Request }): Promise<Response> {
  assertContentType(request, ['application/xml', 'text/xml']);
  const body = await readBodyWithLimit(request);
  const junit = body.toString('utf8');
  assertJunit(junit, 'body');
  const deliveryId = ciDeliveryId({ runId, attempt: query.attempt, kind: 'junit', body });
  const payload = { runId, ...query, junit };
  const { stored } = await storeRawEvent({ orgId, source: 'ci', deliveryId, eventType: 'ci.junit', headers: keptHeaders(request, KEPT_HEADERS), payload });
  return accepted({ stored, deliveryId });
}
