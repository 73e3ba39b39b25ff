import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { env } from '../env.ts';
import { AppError } from './errors.ts';

// Per-process fixed windows of one minute (rate-limiter-flexible): each app node limits on its own,
// so N nodes allow N times the rate, a bound that still stops a runaway client or a guessing loop.

export type RateLimitKind = 'token' | 'sign_in';

const limiters = new Map<RateLimitKind, RateLimiterMemory>();

function limiter(kind: RateLimitKind): RateLimiterMemory {
  let l = limiters.get(kind);
  if (!l) {
    const points = kind === 'token' ? env().THROUGHLINE_TOKEN_RATE_PER_MINUTE : env().THROUGHLINE_SIGN_IN_RATE_PER_MINUTE;
    l = new RateLimiterMemory({ keyPrefix: kind, points, duration: 60 });
    limiters.set(kind, l);
  }
  return l;
}

/** Counts one request of `key`; over the limit: AppError rate_limited (429) with the seconds to wait. */
export async function consumeRateLimit(kind: RateLimitKind, key: string): Promise<void> {
  try {
    await limiter(kind).consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const what = kind === 'token' ? 'This token has made too many requests' : 'Too many sign-in attempts';
    throw new AppError('rate_limited', `${what}; retry in ${Math.ceil(rejection.msBeforeNext / 1000)} s`, rejection.msBeforeNext / 1000);
  }
}

/**
 * The client's address as the server saw it: the first X-Forwarded-For hop (Next.js sets it from
 * the socket; a reverse proxy in front must overwrite, not append to, what the client sent).
 */
export function clientAddress(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
}

/** Sign-in attempts are limited per client address and org. */
export function consumeSignInAttempt(headers: Headers, orgSlug: string): Promise<void> {
  return consumeRateLimit('sign_in', `${clientAddress(headers)}|${orgSlug}`);
}
