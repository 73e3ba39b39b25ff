export const LINEAR_API_URL = 'https://api.linear.app/graphql';

/** A GraphQL error as Linear sends it: `extensions.code` (`RATELIMITED`, `INVALID_INPUT`, …) and a readable message. */
interface LinearGraphqlError {
  message?: string;
  path?: (string | number)[];
  extensions?: { code?: string; type?: string; userPresentableMessage?: string };
}

export class LinearApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly codes: string[],
  ) {
    super(message);
    this.name = 'LinearApiError';
  }
}

const MAX_TRIES = 6;
const MAX_WAIT_MS = 5 * 60_000;

/**
 * How long to wait after a rate-limited answer: `Retry-After` (seconds) when sent, else until the
 * exhausted budget refills (`X-RateLimit-Requests-Reset` / `-Complexity-Reset`, epoch ms), else
 * 1, 2, 4… seconds. Never more than 5 minutes.
 */
export function rateLimitWaitMs(headers: Headers, attempt: number, now = Date.now()): number {
  const retryAfter = headers.get('retry-after');
  if (retryAfter && Number.isFinite(Number(retryAfter))) return Math.min(MAX_WAIT_MS, Math.max(0, Number(retryAfter) * 1000));
  const resets = (['requests', 'complexity'] as const)
    .filter((budget) => headers.get(`x-ratelimit-${budget}-remaining`) === '0')
    .map((budget) => Number(headers.get(`x-ratelimit-${budget}-reset`)))
    .filter((at) => Number.isFinite(at) && at > 0);
  if (resets.length) return Math.min(MAX_WAIT_MS, Math.max(0, Math.max(...resets) - now));
  return Math.min(MAX_WAIT_MS, 1000 * 2 ** (attempt - 1));
}

function describe(status: number, errors: LinearGraphqlError[]): string {
  if (!errors.length) return `Linear answered ${status} without data`;
  const messages = errors.map((e) => `${e.extensions?.userPresentableMessage ?? e.message ?? 'unknown error'}${e.extensions?.code ? ` [${e.extensions.code}]` : ''}${e.path?.length ? ` at ${e.path.join('.')}` : ''}`);
  return `Linear answered ${status}: ${messages.join('; ')}`;
}

/**
 * One GraphQL request to Linear with an API key (`Authorization: <key>`; an OAuth token is
 * `Bearer <token>`). Rate limits (HTTP 429, or an error with code `RATELIMITED`, which Linear also
 * sends with 400) and passing failures (5xx, network) are waited out and retried; any other
 * GraphQL error, or errors beside data, fail with Linear's messages and codes.
 */
export async function linearGraphql<T>(options: { apiUrl?: string; apiKey: string; query: string; variables: Record<string, unknown> }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(options.apiUrl ?? LINEAR_API_URL, {
        method: 'POST',
        headers: { authorization: options.apiKey, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: options.query, variables: options.variables }),
      });
    } catch (error) {
      if (attempt >= MAX_TRIES) throw new LinearApiError(`Linear could not be reached: ${error instanceof Error ? error.message : String(error)}`, 0, []);
      await new Promise((r) => setTimeout(r, rateLimitWaitMs(new Headers(), attempt)));
      continue;
    }
    const body = (await res.json().catch(() => null)) as { data?: T | null; errors?: LinearGraphqlError[] } | null;
    const errors = body?.errors ?? [];
    if (res.ok && body?.data && !errors.length) return body.data;
    const rateLimited = res.status === 429 || errors.some((e) => e.extensions?.code === 'RATELIMITED');
    if ((rateLimited || res.status >= 500) && attempt < MAX_TRIES) {
      await new Promise((r) => setTimeout(r, rateLimitWaitMs(res.headers, attempt)));
      continue;
    }
    throw new LinearApiError(describe(res.status, errors), res.status, errors.flatMap((e) => (e.extensions?.code ? [e.extensions.code] : [])));
  }
}
