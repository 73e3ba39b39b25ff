import fc from 'fast-check';

// Hostile bodies made from real payloads: fast-check draws a list of mutations (wrong types,
// missing and extra fields, huge strings, deep nesting, awkward Unicode, edge numbers) at paths of
// the payload, and sometimes a mutation of the bytes themselves (truncation, invalid UTF-8,
// garbage, empty) or of the content type. Seeded, so a failure can be replayed.

export interface HostileBody {
  bytes: Buffer;
  contentType: string | null;
  /** What was done, for the report. */
  note: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every path into a value, to a depth; the root is []. */
function pathsOf(value: Json, depth = 6, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (depth === 0 || value === null || typeof value !== 'object') return out;
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries.slice(0, 40)) out.push(...pathsOf(v, depth - 1, [...at, k]));
  return out;
}

const weirdStrings = fc.constantFrom(
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff lone', '\u202eevil', '🤖'.repeat(50), "'; DROP TABLE \"RawEvent\"; --", '<script>alert(1)</script>',
  '../../etc/passwd', '%s%s%s%n', '${jndi:ldap://x}', '\r\nX-Injected: 1', 'null', 'true', '1e309', '-0', '0x10', '9'.repeat(400),
);
const edgeNumbers = fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER);
const anyLeaf: fc.Arbitrary<Json> = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 30 }), weirdStrings, edgeNumbers);
const smallJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

type Mutation =
  | { op: 'delete' | 'huge' | 'deep'; at: number; size: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'extra'; at: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), size: fc.constant(0) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fc.oneof(anyLeaf, smallJson) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('extra' as const), at: fc.nat(), key: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), value: smallJson }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({ min: 10_000, max: 2_000_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deep' as const), at: fc.nat(), size: fc.integer({ min: 100, max: 20_000 }) }) },
);

type ByteOp = { op: 'truncate'; at: number } | { op: 'invalid-utf8'; at: number } | { op: 'garbage'; size: number } | { op: 'empty' };
const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('invalid-utf8' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('garbage' as const), size: fc.integer({ min: 1, max: 5000 }) }),
  fc.constant({ op: 'empty' as const }),
);
const wrongContentType = fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', '', 'application/jso');

export interface Plan {
  base: number;
  mutations: Mutation[];
  bytes: ByteOp | null;
  contentType: string | null | undefined;
  seed: number;
}

/** A plan: which base payload, which mutations; bytes and content type are mutated now and then. */
export function planArbitrary(bases: number): fc.Arbitrary<Plan> {
  return fc.record({
    base: fc.nat({ max: bases - 1 }),
    mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
    // One body in six has its bytes mangled, one in ten a wrong content type; the rest get parsed.
    bytes: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: byteOp }),
    contentType: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: wrongContentType }),
    seed: fc.nat(),
  });
}

const DEEP_MARK = '"\u0001deep\u0001"';

/** Applies a plan to a JSON base: the body bytes, the content type to send, and a note. */
export function applyJsonPlan(base: unknown, plan: Plan, contentType: string, finish: (value: Json) => Json = (v) => v): HostileBody {
  let value = structuredClone(base) as Json;
  const notes: string[] = [];
  let deep = 0;
  for (const m of plan.mutations) {
    const paths = pathsOf(value);
    const path = paths[m.at % paths.length]!;
    const parentPath = path.slice(0, -1);
    const key = path.at(-1);
    const parent = parentPath.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k as string]!, value);
    const set = (v: Json) => {
      if (key === undefined) value = v;
      else (parent as Record<string | number, Json>)[key as string] = v;
    };
    switch (m.op) {
      case 'delete':
        if (key === undefined) break;
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Record<string, Json>)[key as string];
        notes.push(`delete ${path.join('.')}`);
        break;
      case 'replace':
        set(m.value);
        notes.push(`replace ${path.join('.') || '(root)'}`);
        break;
      case 'extra': {
        const target = path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k as string]!, value);
        if (target && typeof target === 'object' && !Array.isArray(target)) {
          Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
          notes.push(`extra ${path.join('.')}.${m.key}`);
        }
        break;
      }
      case 'huge':
        set('x'.repeat(m.size));
        notes.push(`huge string (${m.size}) at ${path.join('.') || '(root)'}`);
        break;
      case 'deep':
        // Nesting deeper than JSON.stringify can recurse is spliced into the text below.
        set(DEEP_MARK);
        deep = m.size;
        notes.push(`nesting ${m.size} deep at ${path.join('.') || '(root)'}`);
        break;
    }
  }
  let text = JSON.stringify(finish(value)) ?? 'null';
  if (deep) text = text.replace(JSON.stringify(DEEP_MARK), '['.repeat(deep) + ']'.repeat(deep));
  return finishBody(Buffer.from(text, 'utf8'), plan, contentType, notes);
}

/** The plan's byte mutation, if any, then its content type. */
function finishBody(bytes: Buffer, plan: Plan, contentType: string, notes: string[]): HostileBody {
  const b = plan.bytes;
  if (b?.op === 'truncate') bytes = bytes.subarray(0, b.at % Math.max(1, bytes.length));
  if (b?.op === 'invalid-utf8') {
    const at = b.at % Math.max(1, bytes.length);
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), bytes.subarray(at)]);
  }
  if (b?.op === 'garbage') bytes = Buffer.from(Array.from({ length: b.size }, (_, i) => (plan.seed * 31 + i * 7919) % 256));
  if (b?.op === 'empty') bytes = Buffer.alloc(0);
  if (b) notes.push(b.op);
  if (plan.contentType !== undefined) notes.push(`content-type ${JSON.stringify(plan.contentType)}`);
  return { bytes, contentType: plan.contentType === undefined ? contentType : plan.contentType, note: notes.join(', ') || 'unchanged' };
}

/** Applies a plan to a text body (XML): its mutations become cuts and insertions at offsets. */
export function applyTextPlan(base: string, plan: Plan, contentType: string): HostileBody {
  let text = base;
  const notes: string[] = [];
  for (const m of plan.mutations) {
    const at = m.at % Math.max(1, text.length);
    if (m.op === 'delete') text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + (m.at % 40)));
    if (m.op === 'replace') text = text.slice(0, at) + String(JSON.stringify(m.value)).slice(0, 200) + text.slice(at);
    if (m.op === 'extra') text = text.slice(0, at) + `<${/^[A-Za-z_][\w.-]*$/.test(m.key) ? m.key : 'x'} a="${'&amp;'.repeat(m.at % 5)}"/>` + text.slice(at);
    if (m.op === 'huge') text = text.slice(0, at) + 'y'.repeat(m.size) + text.slice(at);
    if (m.op === 'deep') text = text.slice(0, at) + '<a>'.repeat(m.size) + '</a>'.repeat(m.size) + text.slice(at);
    notes.push(`${m.op} at ${at}`);
  }
  return finishBody(Buffer.from(text, 'utf8'), plan, contentType, notes);
}

/** `count` plans, the same for the same seed. */
export function samplePlans(bases: number, count: number, seed: number): Plan[] {
  return fc.sample(planArbitrary(bases), { numRuns: count, seed });
}
