import { CsvError, parse } from 'csv-parse/sync';
import { USAGE_METRIC_NAMES } from './ai-usage-schemas.ts';

// A CSV usage report: a header row naming the record fields (email, day, tool, tokensIn…), then a
// record per row. Cells stay text except the metric columns, which become numbers when they are
// numbers (anything else is left as text for the schema to refuse, naming the field); empty cells
// are absent fields. Columns the schema does not know are kept like unknown JSON fields.

const METRICS = new Set<string>(USAGE_METRIC_NAMES);
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export class UsageCsvError extends Error {}

export function parseUsageCsv(text: string): Record<string, string | number>[] {
  let rows: Record<string, string>[];
  try {
    rows = parse<Record<string, string>>(text, { columns: true, bom: true, trim: true, skip_empty_lines: true });
  } catch (error) {
    if (error instanceof CsvError) throw new UsageCsvError(`body: not valid CSV: ${error.message}`);
    throw error;
  }
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row)
        .filter(([, cell]) => cell !== '')
        .map(([column, cell]) => [column, METRICS.has(column) && NUMBER.test(cell) ? Number(cell) : cell]),
    ),
  );
}
