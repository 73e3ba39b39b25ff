import { describe, expect, test } from 'vitest';
import { findTicketReferences, type PullRequestText } from './find-ticket-references.ts';

const pr = (p: Partial<PullRequestText>): PullRequestText => ({ repository: 'acme/app', branch: null, title: '', body: null, commitMessages: [], ...p });

describe('findTicketReferences', () => {
  test.each([
    ['a key in the branch', { branch: 'feature/ABC-123-login' }, [['ABC-123', 'branch_name']]],
    ['a lower-cased key in a Linear-style branch', { branch: 'ann/eng-42-fix-login' }, [['ENG-42', 'branch_name']]],
    ['a key with an underscore after it in the branch', { branch: 'ABC-7_hotfix' }, [['ABC-7', 'branch_name']]],
    ['a key in the title', { title: 'ABC-123: fix login' }, [['ABC-123', 'pr_title']]],
    ['a bracketed key in the title', { title: '[PAY-9] Retry payments' }, [['PAY-9', 'pr_title']]],
    ['a lower-case look-alike in the title is not a key', { title: 'bump abc-123 parser' }, []],
    ['a key in the body, twice, once', { body: 'Implements ABC-1.\n\nSee ABC-1 too.' }, [['ABC-1', 'pr_body']]],
    ['a key in a Jira URL in the body', { body: 'https://acme.atlassian.net/browse/OPS-77' }, [['OPS-77', 'pr_body']]],
    ['keys in commit messages', { commitMessages: ['ABC-2 first', 'wip', 'Refs ENG-3'] }, [['ABC-2', 'commit_message'], ['ENG-3', 'commit_message']]],
    ['a key glued to letters is not a key', { title: 'xABC-12 and ABC-12x' }, []],
    ['a zero-led number is not a key', { title: 'ABC-012' }, []],
    ['the same key in several places, once per place', { branch: 'abc-5', title: 'ABC-5', body: 'ABC-5', commitMessages: ['ABC-5'] }, [['ABC-5', 'branch_name'], ['ABC-5', 'pr_title'], ['ABC-5', 'pr_body'], ['ABC-5', 'commit_message']]],
    // Look-alikes are candidates: link-tickets links them only to tickets the org has.
    ['UTF-8, ISO-8601, SHA-256, GPT-4 are candidates only', { title: 'Read UTF-8 and ISO-8601 dates', body: 'SHA-256 sums, GPT-4 helped' }, [['UTF-8', 'pr_title'], ['ISO-8601', 'pr_title'], ['SHA-256', 'pr_body'], ['GPT-4', 'pr_body']]],
    ['fixes #12 closes an issue of the same repository', { body: 'fixes #12' }, [['acme/app#12', 'closing_keyword']]],
    ['closes owner/repo#12 in any case', { body: 'CLOSES Other/Lib#12' }, [['other/lib#12', 'closing_keyword']]],
    ['every GitHub keyword, with a colon', { body: 'close #1, closed #2, Fix: #3, fixed #4, resolve #5, Resolves #6, resolved #7, closes #8, fixes #9' }, [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [`acme/app#${n}`, 'closing_keyword'])],
    ['an issue URL after a keyword', { body: 'Fixes https://github.com/acme/app/issues/31' }, [['acme/app#31', 'closing_keyword']]],
    ['a closing keyword in a commit message', { commitMessages: ['Handle empty carts\n\nFixes #44'] }, [['acme/app#44', 'closing_keyword']]],
    ['a bare #12 without a keyword is not a link', { body: 'see #12, prefixes #13' }, []],
    ['a keyword in the title does not close (GitHub reads body and commits)', { title: 'Fixes #12' }, []],
    ['a Jira key after a closing keyword is a body key', { body: 'Fixes ABC-9' }, [['ABC-9', 'pr_body']]],
  ] as const)('%s', (_name, input, expected) => {
    expect(findTicketReferences(pr(input as Partial<PullRequestText>)).map((r) => [r.key, r.foundBy])).toEqual(expected);
  });
});
