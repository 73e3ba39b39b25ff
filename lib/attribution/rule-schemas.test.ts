import { describe, expect, test } from 'vitest';
import { createRuleSchema, patternProblem } from './rule-schemas.ts';

describe('patternProblem', () => {
  test.each([
    ['^AI-Agent:\\s*\\w+', null],
    ['ai-bot@acme\\.com', null],
    ['^(feat|fix)/ai-', null],
    ['(unclosed', /^is not a valid regular expression \(.*\)$/],
    ['[z-a]', /^is not a valid regular expression/],
    ['.*', /^matches empty text/],
    ['copilot|', /^matches empty text/],
    ['^(\\w+\\s?)+$', /^nests repetitions/],
    ['(a+)+b', /^nests repetitions/],
    ['^Co-authored-by: .*(claude|copilot)', null],
  ])('%s → %s', (pattern, expected) => {
    const problem = patternProblem(pattern);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('createRuleSchema', () => {
  test('trims the pattern and defaults the tool to other', () => {
    expect(createRuleSchema.parse({ kind: 'pr_label', pattern: '  ^ai-generated$ ' })).toEqual({ kind: 'pr_label', pattern: '^ai-generated$', tool: 'other' });
  });

  test.each([
    [{ kind: 'pr_label', pattern: 'x'.repeat(201) }, ['pattern'], 'must be at most 200 characters'],
    [{ kind: 'pr_label', pattern: '   ' }, ['pattern'], 'must not be empty'],
    [{ kind: 'pr_body', pattern: 'x' }, ['kind'], expect.stringContaining('commit_trailer')],
    [{ kind: 'pr_label', pattern: 'x', tool: 'gemini' }, ['tool'], expect.stringContaining('claude_code')],
  ])('refuses %j at %j', (input, path, message) => {
    const result = createRuleSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path, message });
  });
});
