import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { JunitParseError, MAX_XML_DEPTH, parseJunit, xmlDepth, type JunitSuiteSummary } from './parse-junit.ts';

// Real reports (test/fixtures/junit/README.md gives where each comes from); every count below was
// checked by reading the file's <testcase> elements.
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../test/fixtures/junit', name), 'utf8');
type Counts = Omit<JunitSuiteSummary, 'passedTests'>;
const counts = (xml: string): Counts[] => parseJunit(xml).map(({ passedTests: _passed, ...rest }) => rest);
const suite = (s: Partial<Counts> & Pick<Counts, 'suite' | 'total'>): Counts => ({ passed: 0, failed: 0, errored: 0, skipped: 0, durationMs: null, failingTests: [], flakyTests: [], ...s });

describe('parseJunit on real reports', () => {
  test.each<[string, Counts[]]>([
    [
      'go-junit-report-001-fail-skip.xml',
      [
        suite({ suite: 'package/pass', total: 2, passed: 2, durationMs: 160 }),
        suite({ suite: 'package/fail', total: 1, failed: 1, durationMs: 151, failingTests: ['package/fail › TestOne'] }),
        suite({ suite: 'package/skip', total: 2, skipped: 2, durationMs: 150 }),
      ],
    ],
    [
      'go-junit-report-013-build-error.xml',
      [
        suite({ suite: 'package/name/passing1', total: 1, passed: 1, durationMs: 100 }),
        suite({ suite: 'package/name/passing2', total: 1, passed: 1, durationMs: 100 }),
        suite({ suite: 'package/name/failing1', total: 1, errored: 1, durationMs: 0, failingTests: ['package/name/failing1 › [build failed]'] }),
        suite({ suite: 'package/name/failing2', total: 1, errored: 1, durationMs: 0, failingTests: ['package/name/failing2 › [build failed]'] }),
        suite({ suite: 'package/name/setupfailing1', total: 1, errored: 1, durationMs: 0, failingTests: ['package/name/setupfailing1 › [setup failed]'] }),
      ],
    ],
    [
      'jest-junit.xml',
      [
        suite({
          suite: '__tests__\\main.test.js',
          total: 4,
          passed: 1,
          failed: 3,
          durationMs: 486,
          failingTests: ['__tests__\\main.test.js › Test 1 › Test 1.1 › Failing test', '__tests__\\main.test.js › Test 1 › Test 1.1 › Exception in target unit', '__tests__\\main.test.js › Test 2 › Exception in test'],
        }),
        suite({ suite: '__tests__\\second.test.js', total: 2, failed: 1, skipped: 1, durationMs: 82, failingTests: ['__tests__\\second.test.js › Timeout test'] }),
      ],
    ],
    // Vitest's own reporter snapshot: a todo and a skip are both <skipped/>; 0.145992842 s rounds to 146 ms.
    ['vitest-junit.xml', [suite({ suite: 'test/core/test/basic.test.ts', total: 9, passed: 6, failed: 1, skipped: 2, durationMs: 146, failingTests: ['test/core/test/basic.test.ts › suite > Math.sqrt()'] })]],
    ['pytest-junit-failure-skipped.xml', [suite({ suite: 'pytest', total: 5, passed: 3, failed: 1, skipped: 1, durationMs: 2481, failingTests: ['pytest › test.test_spark.SparkTests › test_rsh_events'] })]],
    // The suite says tests="15" (pytest counts subtests); 10 <testcase>s are in the file; xfail is skipped.
    ['pytest-junit-xfail-properties.xml', [suite({ suite: 'pytest', total: 10, passed: 6, failed: 2, skipped: 2, durationMs: 19, failingTests: ['pytest › tests.test_lib › test_always_fail', 'pytest › tests.test_lib › test_error'] })]],
    [
      'surefire-TEST-EmailAddressTest-errors.xml',
      [
        suite({
          suite: 'action.surefire.report.email.EmailAddressTest',
          total: 9,
          passed: 2,
          failed: 2,
          errored: 5,
          durationMs: 41,
          failingTests: [
            'shouldNotContainInternationalizedHostNames',
            'shouldBeStricterThanRfc2821',
            'shouldBeStricterThanRfc2822',
            'shouldNotBeBlank',
            'shouldNotContainLocalHosts',
            'shouldNotMissComponents',
            'shouldNotAllowDotsInWeirdPlaces',
          ].map((t) => `action.surefire.report.email.EmailAddressTest › ${t}`),
        }),
      ],
    ],
    [
      'surefire-TEST-StringUtilsTest-failures-skipped.xml',
      [suite({ suite: 'action.surefire.report.calc.StringUtilsTest', total: 5, passed: 2, failed: 2, skipped: 1, durationMs: 10, failingTests: ['action.surefire.report.calc.StringUtilsTest › require_fail', 'action.surefire.report.calc.StringUtilsTest › require'] })],
    ],
    // Three flakyFailure and a flakyError, then a pass: passed and flaky, not failed (the suite's tests="1" undercounts).
    ['surefire-TEST-org.acme.FlakyTest-flakyFailure.xml', [suite({ suite: 'org.acme.FlakyTest', total: 2, passed: 2, durationMs: 1324, flakyTests: ['org.acme.FlakyTest › testFlaky'] })]],
    [
      'surefire-flakyFailure-small.xml',
      [
        suite({
          suite: 'io.sodadata.dependson.soda.integrations.msteams.MicrosoftTeamsCrudTest',
          total: 1,
          passed: 1,
          durationMs: 683,
          flakyTests: ['io.sodadata.dependson.soda.integrations.msteams.MicrosoftTeamsCrudTest › createWebhook'],
        }),
      ],
    ],
  ])('%s', (file, expected) => {
    expect(counts(fixture(file))).toEqual(expected);
  });

  test('passed tests are listed by the same labels as failing ones', () => {
    expect(parseJunit(fixture('go-junit-report-001-fail-skip.xml')).map((s) => s.passedTests)).toEqual([['package/pass › TestPass', 'package/pass › TestPassLog'], [], []]);
  });
});

describe('parseJunit on shapes no real fixture has', () => {
  test('nested suites each give their own summary; a suite of suites gives none', () => {
    const xml = `<testsuites><testsuite name="all"><testsuite name="a" time="1.5"><testcase name="x"/><testcase name="y"><failure/></testcase></testsuite>
      <testsuite name="b"><testcase name="z" time="0.25"/></testsuite></testsuite></testsuites>`;
    expect(counts(xml)).toEqual([suite({ suite: 'a', total: 2, passed: 1, failed: 1, durationMs: 1500, failingTests: ['a › y'] }), suite({ suite: 'b', total: 1, passed: 1, durationMs: 250 })]);
  });

  // No real report with <rerunFailure> exists publicly (fixtures SOURCES.md): Surefire writes it beside the final <failure>.
  test('rerunFailure beside a failure is a failure, not flaky', () => {
    const xml = `<testsuite name="S"><testcase name="t"><failure message="a"/><rerunFailure message="b"/><rerunError message="c"/></testcase></testsuite>`;
    expect(counts(xml)).toEqual([suite({ suite: 'S', total: 1, failed: 1, durationMs: 0, failingTests: ['S › t'] })]);
  });

  test('two suites of one name add up; an empty <testsuites/> has no suites', () => {
    const xml = `<testsuites><testsuite name="S" time="1"><testcase name="a"/></testsuite><testsuite name="S" time="2"><testcase name="b"><skipped/></testcase></testsuite></testsuites>`;
    expect(counts(xml)).toEqual([suite({ suite: 'S', total: 2, passed: 1, skipped: 1, durationMs: 3000 })]);
    expect(parseJunit('<testsuites/>')).toEqual([]);
  });

  test.each([
    ['not XML', 'this is not xml', /^not well-formed XML: /],
    ['an unclosed element', '<testsuite name="a"><testcase name="b"></testsuite>', /^not well-formed XML: /],
    ['another root', '<html><body/></html>', /^root element must be <testsuites> or <testsuite>$/],
  ])('%s throws JunitParseError', (_name, xml, message) => {
    expect(() => parseJunit(xml)).toThrow(JunitParseError);
    expect(() => parseJunit(xml)).toThrow(message);
  });
});

describe('hostile JUnit', () => {
  test('elements nested deeper than the bound are refused before parsing, without recursion', () => {
    expect(xmlDepth('<a><b/><c><d>x</d></c></a>')).toBe(3);
    const deep = `<testsuite name="s">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</testsuite>`;
    expect(() => parseJunit(deep)).toThrow(new JunitParseError(`elements nested deeper than ${MAX_XML_DEPTH} levels`));
  });

  // Found by the hostile-input suite: each was a 500 from the upload endpoint.
  test.each([
    ['an element named __proto__', '<testsuite name="s"><__proto__/></testsuite>', 'prototype pollution'],
    ['an element named constructor', '<testsuites><testsuite name="s"><constructor>x</constructor></testsuite></testsuites>', 'prototype pollution'],
    ['an unclosed processing instruction', '<?xml version="1.0"<testsuite name="s"/>', 'not well-formed XML'],
  ])('%s is refused as bad XML, not thrown as a plain error', (_name, xml, message) => {
    expect(() => parseJunit(xml)).toThrow(JunitParseError);
    expect(() => parseJunit(xml)).toThrow(message);
  });
});
