import { openApiDocument } from '@/lib/http/openapi.ts';

export const dynamic = 'force-static';

// GET /api/openapi.json: the OpenAPI 3.1 document of the public API (no sign-in: it holds no data)
export function GET() {
  return Response.json(openApiDocument());
}
