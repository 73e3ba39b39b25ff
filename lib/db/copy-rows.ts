import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

// PostgreSQL's COPY text format: one line a row, tab-separated, \N for null, and backslash, tab,
// newline and carriage return escaped. Arrays are written as array literals, JSON as its text.
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A text field as COPY's text format writes it. */
export function escapeText(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value; // most fields: one scan instead of four replaces
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function arrayLiteral(values: unknown[]): string {
  return `{${values.map((v) => `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** One field; `json` columns take any value as JSON text, other arrays are array literals. */
export function copyField(value: unknown, json = false): string {
  if (value === null || value === undefined) return '\\N';
  if (json) return escapeText(JSON.stringify(value));
  if (Array.isArray(value)) return escapeText(arrayLiteral(value));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return escapeText(String(value));
}

const CHUNK_CHARS = 65_536;

/**
 * Streams rows already in COPY's text format (`chunks` of whole lines) into `table` (its `columns`,
 * in order) with COPY FROM STDIN on `client`.
 */
export async function copyText(client: pg.ClientBase, table: string, columns: string[], chunks: Iterable<string>): Promise<void> {
  if (!/^[A-Za-z_][\w]*$/.test(table) || columns.some((c) => !/^[A-Za-z_][\w]*$/.test(c))) throw new Error('bad identifier');
  const sql = `COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
}

/**
 * Streams `rows` into `table` (its `columns`, in order) with COPY FROM STDIN on `client`, in
 * messages of about 64 KB: a message per row costs about twice the time.
 */
export async function copyRows(client: pg.ClientBase, table: string, columns: string[], rows: Record<string, unknown>[], jsonColumns: ReadonlySet<string> = new Set()): Promise<void> {
  const json = columns.map((c) => jsonColumns.has(c));
  const last = columns.length - 1;
  const chunks = (function* () {
    let chunk = '';
    for (const row of rows) {
      // Appended field by field: no array and joined string a row.
      for (let i = 0; i < last; i++) chunk += copyField(row[columns[i]!], json[i]) + '\t';
      chunk += copyField(row[columns[last]!], json[last]) + '\n';
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  })();
  await copyText(client, table, columns, chunks);
}
