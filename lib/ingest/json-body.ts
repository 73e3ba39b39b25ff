import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';

// What every ingest endpoint does with a JSON body: parse it, refusing nesting deeper than any
// real payload has (JSON.stringify and zod recurse, so a body nested 100,000 deep would overflow
// the stack later instead of being refused now), and make it storable in a jsonb column.

/** Deeper than any webhook or report we take (GitHub's deepest is about 10). */
export const MAX_JSON_DEPTH = 128;

/** The deepest nesting of a JSON text, counted without recursion; brackets inside strings do not count. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** A JSON body, or 400 naming what is wrong with it (`what`: e.g. "a JSON webhook payload"). */
export function parseJsonText(text: string, what = 'valid JSON'): Prisma.InputJsonValue {
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new AppError('bad_request', `Body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text) as Prisma.InputJsonValue;
  } catch {
    throw new AppError('bad_request', `Body is not ${what}`);
  }
}

// PostgreSQL's jsonb cannot hold U+0000 or a lone UTF-16 surrogate (JSON allows both as escapes),
// so a payload holding them would fail to store after it was accepted. They become U+FFFD, the
// replacement character, in the stored copy: the one change the raw log makes to a payload.
// JSON.stringify writes valid surrogate pairs as characters and escapes only lone ones (and
// control characters), so every surrogate escape in its output is a lone one. The lookbehind skips
// escaped backslashes (`\\u0000` is the text "\u0000", not a NUL).
const UNSTORABLE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;

/** JSON text of `value` that PostgreSQL's jsonb accepts. */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.includes('\\u') ? text.replace(UNSTORABLE, (_m, slashes: string) => `${slashes}\\ufffd`) : text;
}

/** Text PostgreSQL's text columns accept: U+0000 becomes U+FFFD (e.g. an event type from a payload). */
export function storableText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value;
}
