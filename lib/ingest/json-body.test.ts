import { describe, expect, test } from 'vitest';
import { AppError } from '../http/errors.ts';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonText, storableJson } from './json-body.ts';

describe('JSON bodies', () => {
  test('depth is counted without recursion, brackets in strings left out', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[{"}]}')).toBe(3);
    expect(jsonDepth('"\\"[["')).toBe(0);
    expect(jsonDepth('['.repeat(300_000) + ']'.repeat(300_000))).toBe(300_000);
  });

  test('a body nested deeper than the bound is a 400, as is one that is not JSON', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    expect(() => parseJsonText(deep)).toThrow(new AppError('bad_request', `Body is nested deeper than ${MAX_JSON_DEPTH} levels`));
    expect(() => parseJsonText('{"a":')).toThrow(new AppError('bad_request', 'Body is not valid JSON'));
    expect(parseJsonText('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeInstanceOf(Array);
  });

  test('NUL and lone surrogates become U+FFFD in the stored text; everything else is kept', () => {
    const value = { nul: 'a\u0000b', high: 'x\ud800', low: '\udc00y', pair: '😀', text: 'a literal \\u0000 stays', key: { 'k\u0000': 1 } };
    const stored = JSON.parse(storableJson(value));
    expect(stored).toEqual({ nul: 'a\ufffdb', high: 'x\ufffd', low: '\ufffdy', pair: '😀', text: 'a literal \\u0000 stays', key: { 'k\ufffd': 1 } });
    expect(storableJson({ a: 'plain', b: [1, null] })).toBe(JSON.stringify({ a: 'plain', b: [1, null] }));
  });
});

test('text columns get U+FFFD for NUL', async () => {
  const { storableText } = await import('./json-body.ts');
  expect(storableText('Issue\u0000x')).toBe('Issue\ufffdx');
  expect(storableText('plain')).toBe('plain');
});
