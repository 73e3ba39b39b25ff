import { z } from 'zod';
import type { Prisma } from '../../db/generated/client.ts';
import { AppError } from '../../http/errors.ts';
import { aiUsageReportSchema, formatRecordIssues, type AiUsageRecord } from './ai-usage-schemas.ts';
import { parseUsageCsv, UsageCsvError } from './parse-usage-csv.ts';
import { sumUsageRecords, UsageSumError } from './sum-usage-records.ts';

/** How a CSV report is kept in the raw log (JSON): its text, as sent. */
export interface StoredCsvReport {
  csv: string;
}

function isStoredCsv(payload: unknown): payload is StoredCsvReport {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) && typeof (payload as { csv?: unknown }).csv === 'string' && !('records' in payload);
}

/**
 * The records of a generic report as stored raw: a JSON body (`{ records }` or an array) or a
 * CSV one (`{ csv }`). Refuses a bad one with a 400 naming the record and field, e.g.
 * "records[2].day: …", so the endpoint answers with it and the worker fails the event with it.
 */
export function readAiUsageReport(payload: Prisma.JsonValue | Prisma.InputJsonValue): AiUsageRecord[] {
  try {
    const body = isStoredCsv(payload) ? parseUsageCsv(payload.csv) : payload;
    const { records } = aiUsageReportSchema.parse(body);
    sumUsageRecords(records);
    return records;
  } catch (error) {
    if (error instanceof z.ZodError) throw new AppError('bad_request', formatRecordIssues(error));
    if (error instanceof UsageCsvError || error instanceof UsageSumError) throw new AppError('bad_request', error.message);
    throw error;
  }
}
