import { XMLParser, XMLValidator } from 'fast-xml-parser';

// JUnit XML, as jest-junit, Vitest, pytest, Maven Surefire and go-junit-report write it, read into
// one summary per test suite. Counts come from the <testcase> elements themselves, never from the
// suite's `tests`/`failures` attributes, which tools fill in inconsistently (Surefire counts a
// flaky test once, pytest counts subtests).

export interface JunitSuiteSummary {
  suite: string;
  total: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  durationMs: number | null;
  /** Failed and errored tests, as "suite › test". */
  failingTests: string[];
  /** Tests that failed, then passed on a rerun within this report (Surefire's flakyFailure/flakyError). */
  flakyTests: string[];
  /** Tests that passed (flaky ones too): what another attempt's failures are judged flaky against. */
  passedTests: string[];
}

export class JunitParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JunitParseError';
  }
}

type XmlNode = Record<string, unknown>;

// Elements that may repeat are always arrays, so one element and many read the same way.
const REPEATED = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped', 'flakyFailure', 'flakyError', 'rerunFailure', 'rerunError']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Names and times stay strings: a test named "1e3" is not a number.
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name),
});

const children = (node: XmlNode, name: string): XmlNode[] => (Array.isArray(node[name]) ? (node[name] as unknown[]).map((c) => (typeof c === 'object' && c !== null ? (c as XmlNode) : {})) : []);
const attr = (node: XmlNode, name: string): string => (typeof node[`@${name}`] === 'string' ? (node[`@${name}`] as string) : '');
const has = (node: XmlNode, ...names: string[]) => names.some((n) => Array.isArray(node[n]) && (node[n] as unknown[]).length > 0);

function seconds(value: string): number | null {
  const n = Number(value.replace(/,/g, ''));
  return value.trim() !== '' && Number.isFinite(n) ? n : null;
}

/** "suite › test"; the class name joins in only where it adds something (pytest's module path). */
function testLabel(suite: string, testcase: XmlNode): string {
  const name = attr(testcase, 'name');
  const classname = attr(testcase, 'classname');
  const parts = classname && classname !== suite && !name.includes(classname) ? [suite, classname, name] : [suite, name];
  return parts.filter((p) => p !== '').join(' › ');
}

function summarizeSuite(name: string, suite: XmlNode): JunitSuiteSummary {
  const summary: JunitSuiteSummary = { suite: name, total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, durationMs: null, failingTests: [], flakyTests: [], passedTests: [] };
  let caseSeconds = 0;
  for (const testcase of children(suite, 'testcase')) {
    summary.total++;
    caseSeconds += seconds(attr(testcase, 'time')) ?? 0;
    const label = testLabel(name, testcase);
    // A final <failure>/<error> wins (Surefire adds rerunFailure beside it when every rerun failed);
    // flakyFailure/flakyError alone mean the test passed in the end.
    if (has(testcase, 'error')) summary.errored++;
    else if (has(testcase, 'failure')) summary.failed++;
    else if (has(testcase, 'skipped')) summary.skipped++;
    else {
      summary.passed++;
      summary.passedTests.push(label);
    }
    if (has(testcase, 'error', 'failure')) summary.failingTests.push(label);
    else if (has(testcase, 'flakyFailure', 'flakyError')) summary.flakyTests.push(label);
  }
  const suiteSeconds = seconds(attr(suite, 'time')) ?? (summary.total > 0 ? caseSeconds : null);
  summary.durationMs = suiteSeconds === null ? null : Math.round(suiteSeconds * 1000);
  return summary;
}

/** Every suite holding test cases, nested ones included (named by their own `name`). */
function collectSuites(suite: XmlNode, into: Map<string, JunitSuiteSummary>): void {
  if (has(suite, 'testcase')) {
    const summary = summarizeSuite(attr(suite, 'name'), suite);
    const same = into.get(summary.suite);
    // Two suites of one name (a tool splitting a file in parts) add up: one summary per name.
    into.set(summary.suite, same ? mergeSummaries(same, summary) : summary);
  }
  for (const child of children(suite, 'testsuite')) collectSuites(child, into);
}

function mergeSummaries(a: JunitSuiteSummary, b: JunitSuiteSummary): JunitSuiteSummary {
  return {
    suite: a.suite,
    total: a.total + b.total,
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    errored: a.errored + b.errored,
    skipped: a.skipped + b.skipped,
    durationMs: a.durationMs === null && b.durationMs === null ? null : (a.durationMs ?? 0) + (b.durationMs ?? 0),
    failingTests: [...a.failingTests, ...b.failingTests],
    flakyTests: [...a.flakyTests, ...b.flakyTests],
    passedTests: [...a.passedTests, ...b.passedTests],
  };
}

/** Deeper than any JUnit report (suites in suites a few levels down); the parser recurses. */
export const MAX_XML_DEPTH = 64;

/** The deepest element nesting of an XML text, counted without recursion. */
export function xmlDepth(xml: string): number {
  let depth = 0;
  let max = 0;
  for (const [, closing, selfClosing] of xml.matchAll(/<(\/?)[A-Za-z_][^<>]*?(\/?)>/g)) {
    if (closing) depth--;
    else if (!selfClosing) max = Math.max(max, ++depth);
  }
  return max;
}

/**
 * The parser's document. It refuses what its validator lets through, with plain errors: names that
 * could pollute prototypes (`<__proto__>`), an unclosed processing instruction. Those are bad
 * input too.
 */
function parseXml(xml: string): XmlNode {
  try {
    return parser.parse(xml) as XmlNode;
  } catch (error) {
    throw new JunitParseError(`not well-formed XML: ${(error as Error).message}`);
  }
}

/** Parses a JUnit report whose root is <testsuites> or a bare <testsuite>; anything else throws JunitParseError. */
export function parseJunit(xml: string): JunitSuiteSummary[] {
  if (xmlDepth(xml) > MAX_XML_DEPTH) throw new JunitParseError(`elements nested deeper than ${MAX_XML_DEPTH} levels`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new JunitParseError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const document = parseXml(xml);
  const suites = new Map<string, JunitSuiteSummary>();
  if ('testsuites' in document) collectSuites(typeof document.testsuites === 'object' && document.testsuites !== null ? (document.testsuites as XmlNode) : {}, suites);
  else if (Array.isArray(document.testsuite)) for (const suite of children(document, 'testsuite')) collectSuites(suite, suites);
  else throw new JunitParseError('root element must be <testsuites> or <testsuite>');
  return [...suites.values()];
}
