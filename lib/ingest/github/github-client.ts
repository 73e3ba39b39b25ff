import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { log } from '../../log.ts';

const GitHub = Octokit.plugin(throttling, retry);

/** An API client that waits out rate limits (up to 5 times per request) and retries failures. */
export function githubClient(token: string, apiUrl = 'https://api.github.com') {
  return new GitHub({
    auth: token,
    baseUrl: apiUrl,
    throttle: {
      onRateLimit: (after: number, opts: { method: string; url: string }, _o: unknown, count: number) => {
        log.warn({ after, url: opts.url, count }, 'GitHub rate limit: waiting');
        return count < 5;
      },
      onSecondaryRateLimit: (after: number, opts: { method: string; url: string }, _o: unknown, count: number) => {
        log.warn({ after, url: opts.url, count }, 'GitHub secondary rate limit: waiting');
        return count < 5;
      },
    },
  });
}
