import { publicBaseUrl } from '@/lib/http/public-base-url.ts';
import { getSpMetadata } from '@/lib/auth/saml.ts';
import { toErrorResponse } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/saml/metadata: the SP metadata to give the org's IdP (public); 404 without a SAML connection
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  try {
    const xml = await getSpMetadata((await params).org, publicBaseUrl(request));
    return new Response(xml, { headers: { 'content-type': 'application/samlmetadata+xml; charset=utf-8' } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
