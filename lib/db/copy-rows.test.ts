import { describe, expect, test } from 'vitest';
import { copyField } from './copy-rows.ts';

describe('copyField (COPY text format)', () => {
  test.each([
    [null, '\\N'],
    ['tab\there\nnew line \\ slash', 'tab\\there\\nnew line \\\\ slash'],
    [['main', 'a "b"'], '{"main","a \\\\"b\\\\""}'],
    [[], '{}'],
    [new Date('2026-03-02T09:00:00Z'), '2026-03-02T09:00:00.000Z'],
    [true, 'true'],
    [42, '42'],
  ])('%j → %s', (value, expected) => {
    expect(copyField(value)).toBe(expected);
  });

  test.each([
    [[], '[]'],
    [[{ kind: 'co_author', evidence: 'Co-authored-by: X\n' }], '[{"kind":"co_author","evidence":"Co-authored-by: X\\\\n"}]'],
  ])('json %j → %s', (value, expected) => {
    expect(copyField(value, true)).toBe(expected);
  });
});
