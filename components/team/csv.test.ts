import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.ts';

describe('csv', () => {
  it('quotes only fields that need it and leaves null empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.125)).toBe('0.125');
  });
  it('writes a header and one CRLF line per row', () => {
    expect(toCsv(['Week', 'Value'], [['2026-03-02', 1], ['2026-03-09', null]])).toBe('Week,Value\r\n2026-03-02,1\r\n2026-03-09,\r\n');
  });
});
