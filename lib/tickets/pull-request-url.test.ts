import { describe, expect, test } from 'vitest';
import { parsePullRequestUrl, pullRequestKey, storedPullRequestKey } from './pull-request-url.ts';

describe('parsePullRequestUrl', () => {
  test.each([
    ['a GitHub pull request', 'https://github.com/Codertocat/Hello-World/pull/2', 'github:github.com/codertocat/hello-world#2'],
    ['a GitHub pull request tab, with a query and fragment', 'https://www.github.com/acme/app.js/pull/12/files?w=1#diff', 'github:github.com/acme/app.js#12'],
    ['a GitHub Enterprise pull request', 'https://ghe.acme.test/Platform/api/pull/7', 'github:ghe.acme.test/platform/api#7'],
    ['a GitLab merge request', 'https://gitlab.com/demoaccount2-commits-group/test_ci_tmp/-/merge_requests/3', 'gitlab:gitlab.com/demoaccount2-commits-group/test_ci_tmp!3'],
    ['a GitLab merge request in a subgroup, on its diffs tab', 'https://gitlab.acme.test/group/sub/proj/-/merge_requests/41/diffs', 'gitlab:gitlab.acme.test/group/sub/proj!41'],
    ['an old-style GitLab merge request URL', 'https://gitlab.com/group/proj/merge_requests/5', 'gitlab:gitlab.com/group/proj!5'],
    ['a GitHub issue', 'https://github.com/acme/app/issues/12', null],
    ['a GitHub commit', 'https://github.com/acme/app/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c', null],
    ['a GitHub pull request list', 'https://github.com/acme/app/pulls', null],
    ['a zero-led number', 'https://github.com/acme/app/pull/012', null],
    ['a GitLab project without a group', 'https://gitlab.com/proj/-/merge_requests/3', null],
    ['a Figma file', 'https://www.figma.com/file/abc/Design', null],
    ['a Slack message', 'https://acme.slack.com/archives/C01/p1681207816078', null],
    ['not a URL', 'github.com/acme/app/pull/1', null],
    ['another scheme', 'ssh://github.com/acme/app/pull/1', null],
  ])('%s', (_name, url, key) => {
    const ref = parsePullRequestUrl(url);
    expect(ref && pullRequestKey(ref)).toBe(key);
  });

  test('a stored repository gives the same key as the URL of its pull request', () => {
    expect(storedPullRequestKey({ provider: 'github', url: 'https://github.com/Codertocat/Hello-World', owner: 'Codertocat', name: 'Hello-World' }, 2)).toBe('github:github.com/codertocat/hello-world#2');
    expect(storedPullRequestKey({ provider: 'gitlab', url: null, owner: 'group/sub', name: 'proj' }, 3)).toBe('gitlab:gitlab.com/group/sub/proj!3');
    expect(storedPullRequestKey({ provider: 'git', url: null, owner: 'a', name: 'b' }, 3)).toBeNull();
  });
});
