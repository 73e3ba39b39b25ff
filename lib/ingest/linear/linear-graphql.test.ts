import { describe, expect, test } from 'vitest';
import { rateLimitWaitMs } from './linear-graphql.ts';

const NOW = 1_700_000_000_000;

describe('rateLimitWaitMs', () => {
  test.each([
    ['Retry-After in seconds', { 'retry-after': '3' }, 1, 3000],
    ['Retry-After over the cap', { 'retry-after': '86400' }, 1, 300_000],
    ['the exhausted request budget\'s reset (epoch ms)', { 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(NOW + 1500) }, 1, 1500],
    ['the later of two exhausted budgets', { 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(NOW + 1500), 'x-ratelimit-complexity-remaining': '0', 'x-ratelimit-complexity-reset': String(NOW + 9000) }, 1, 9000],
    ['a reset already past', { 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(NOW - 10) }, 1, 0],
    ['a budget not exhausted is not waited for: backoff, attempt 1', { 'x-ratelimit-requests-remaining': '12', 'x-ratelimit-requests-reset': String(NOW + 60_000) }, 1, 1000],
    ['no headers: backoff, attempt 3', {}, 3, 4000],
  ])('%s', (_name, headers, attempt, waitMs) => {
    expect(rateLimitWaitMs(new Headers(headers), attempt, NOW)).toBe(waitMs);
  });
});
