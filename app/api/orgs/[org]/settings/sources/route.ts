import { publicBaseUrl } from '@/lib/http/public-base-url.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import type { SourcesAnswer } from '@/lib/settings/sources.ts';
import { listSourceSummaries } from '@/lib/settings/sources-status.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/sources: every data source with its URL, whether it can send, its latest delivery and last 7 days by status (admins)
export const GET = withOrg({ role: 'admin' }, async ({ request, org }) => {
  // PUBLIC_URL, else the origin the browser asked for (samlBaseUrl reads Host, not Next's listen address).
  const answer: SourcesAnswer = { sources: await listSourceSummaries({ orgId: org.id, orgSlug: org.slug, publicUrl: publicBaseUrl(request) }) };
  return Response.json(answer);
});
