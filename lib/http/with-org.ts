import { ZodError, type z } from 'zod';
import { resolveOrgAccess, type AccessRequirement, type Actor } from '../auth/access.ts';
import { log } from '../log.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { AppError, errorResponse, formatZodIssues } from './errors.ts';

type OrgRouteContext = { params: Promise<{ org: string }> };

interface Handler<Q> {
  (input: { request: Request; org: Org; actor: Actor; query: Q }): Promise<Response>;
}

/**
 * The one wrapper for org-scoped route handlers: resolve the org and check access (through the
 * access seam), validate the query with zod, run the handler, and map every failure to
 * `{ error: { code, message } }` with its status. Unexpected errors are logged and answered 500
 * without detail.
 */
export function withOrg<S extends z.ZodType>(options: AccessRequirement & { query: S }, handler: Handler<z.infer<S>>) {
  return async (request: Request, context: OrgRouteContext): Promise<Response> => {
    try {
      const { org: slug } = await context.params;
      const { org, actor } = await resolveOrgAccess({ headers: request.headers, slug, need: options });
      const params = Object.fromEntries(new URL(request.url).searchParams);
      const query = options.query.parse(params);
      return await handler({ request, org, actor, query });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error.code, error.message);
  if (error instanceof ZodError) {
    return errorResponse('bad_request', formatZodIssues(error.issues));
  }
  log.error({ err: error }, 'unhandled error in route handler');
  return errorResponse('internal', 'Internal error');
}
