import { describe, expect, test } from 'vitest';
import { isId, isMalformedIdError } from './ids.ts';

describe('row ids', () => {
  test('a uuid is an id, in either case; anything else is not', () => {
    expect(isId('01a21f7b-6795-72dd-9e10-da8fcfd21e79')).toBe(true);
    expect(isId('01A21F7B-6795-72DD-9E10-DA8FCFD21E79')).toBe(true);
    for (const bad of ['', 'nope', '01a21f7b679572dd9e10da8fcfd21e79', '01a21f7b-6795-72dd-9e10-da8fcfd21e7', ' 01a21f7b-6795-72dd-9e10-da8fcfd21e79']) expect(isId(bad)).toBe(false);
  });

  test("PostgreSQL's refusal of a uuid value is told apart from other invalid text", () => {
    const refusal = (message: string) => Object.assign(new Error(message), { cause: { originalCode: '22P02' } });
    expect(isMalformedIdError(refusal('invalid input syntax for type uuid: "nope"'))).toBe(true);
    expect(isMalformedIdError(refusal('invalid input syntax for type integer: "x"'))).toBe(false);
    expect(isMalformedIdError(Object.assign(new Error('invalid input syntax for type uuid'), { code: '23505' }))).toBe(false);
  });
});
