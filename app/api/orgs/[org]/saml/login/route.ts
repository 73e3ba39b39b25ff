import { publicBaseUrl } from '@/lib/http/public-base-url.ts';
import { samlLoginUrl } from '@/lib/auth/saml.ts';
import { consumeSignInAttempt } from '@/lib/http/rate-limit.ts';
import { toErrorResponse } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/saml/login: 302 to the org's IdP with an AuthnRequest; 404 without a SAML connection
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  try {
    await consumeSignInAttempt(request.headers, (await params).org);
    const location = await samlLoginUrl((await params).org, publicBaseUrl(request));
    return new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
