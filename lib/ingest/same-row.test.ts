import { describe, expect, test } from 'vitest';
import { holdsAll } from './same-row.ts';

describe('holdsAll', () => {
  const row = { title: 'A', body: null, mergedAt: new Date('2026-01-05T10:00:00Z'), additions: 3, extra: 'ignored' };
  test('true when every value of the data is stored, dates compared by instant, null and undefined alike', () => {
    expect(holdsAll(row, { title: 'A', mergedAt: new Date('2026-01-05T10:00:00.000Z'), body: undefined })).toBe(true);
  });
  test('false on any difference, including a date against null and a number against its string', () => {
    expect(holdsAll(row, { title: 'B' })).toBe(false);
    expect(holdsAll(row, { mergedAt: null })).toBe(false);
    expect(holdsAll(row, { body: new Date(0) })).toBe(false);
    expect(holdsAll(row, { mergedAt: new Date('2026-01-05T10:00:01Z') })).toBe(false);
    expect(holdsAll(row, { additions: '3' })).toBe(false);
  });
});
