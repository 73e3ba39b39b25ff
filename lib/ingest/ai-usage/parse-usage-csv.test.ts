import { describe, expect, test } from 'vitest';
import { parseUsageCsv } from './parse-usage-csv.ts';

describe('parseUsageCsv', () => {
  test.each([
    ['numbers in metric columns', 'email,day,tokensIn,costUsd\na@b.c,2026-03-02,12,0.5\n', [{ email: 'a@b.c', day: '2026-03-02', tokensIn: 12, costUsd: 0.5 }]],
    ['empty cells left out, other columns text', 'email,day,model,requests,team\na@b.c,2026-03-02,,,7\n', [{ email: 'a@b.c', day: '2026-03-02', team: '7' }]],
    ['text in a metric column kept for the schema to refuse', 'requests\nmany\n', [{ requests: 'many' }]],
    ['a byte-order mark and CRLF lines', '\uFEFFemail,requests\r\na@b.c,3\r\n', [{ email: 'a@b.c', requests: 3 }]],
  ])('%s', (_name, csv, rows) => {
    expect(parseUsageCsv(csv)).toEqual(rows);
  });

  test('a row with more cells than the header is refused', () => {
    expect(() => parseUsageCsv('email,day\na@b.c,2026-03-02,extra\n')).toThrow(/^body: not valid CSV: Invalid Record Length/);
  });
});
