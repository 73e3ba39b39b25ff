import { z, ZodError } from 'zod';
import { resolveOrgAccess, type AccessRequirement, type Actor } from '../auth/access.ts';
import { log } from '../log.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { AppError, errorResponse, formatZodIssues } from './errors.ts';
import { isMalformedIdError } from '../db/ids.ts';

type RouteContext = { params: Promise<Record<string, string>> };
const MAX_JSON_BODY_BYTES = 1_000_000;
const noQuery = z.object({}).strict();
const noBody = z.undefined();

interface Options<Q extends z.ZodType, B extends z.ZodType> extends AccessRequirement {
  query?: Q;
  /** JSON body schema; a route without one takes no body. */
  body?: B;
  /** The handler reads the body itself (uploads larger than a JSON body, or not JSON). */
  rawBody?: true;
}

interface Handler<Q, B> {
  (input: { request: Request; org: Org; actor: Actor; params: Record<string, string>; query: Q; body: B }): Promise<Response>;
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text === '') return undefined;
  if (text.length > MAX_JSON_BODY_BYTES) throw new AppError('payload_too_large', `Body over ${MAX_JSON_BODY_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'Body is not valid JSON');
  }
}

/**
 * The one wrapper for org-scoped route handlers: resolve the org and check access (through the
 * access seam), validate query and body with zod, run the handler, and map every failure to
 * `{ error: { code, message } }` with its status. Unexpected errors are logged and answered 500
 * without detail.
 */
export function withOrg<Q extends z.ZodType = typeof noQuery, B extends z.ZodType = typeof noBody>(options: Options<Q, B>, handler: Handler<z.infer<Q>, z.infer<B>>) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const { org: slug, ...params } = await context.params;
      const { org, actor } = await resolveOrgAccess({ headers: request.headers, slug: slug!, need: options });
      const query = ((options.query ?? noQuery) as Q).parse(Object.fromEntries(new URL(request.url).searchParams));
      const body = ((options.body ?? noBody) as B).parse(options.rawBody ? undefined : await readJsonBody(request));
      return await handler({ request, org, actor, params, query, body });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error.code, error.message, error.retryAfterSeconds);
  if (error instanceof ZodError) return errorResponse('bad_request', formatZodIssues(error.issues));
  if (isMalformedIdError(error)) return errorResponse('not_found', 'Not found: no row has that id');
  log.error({ err: error }, 'unhandled error in route handler');
  return errorResponse('internal', 'Internal error');
}
