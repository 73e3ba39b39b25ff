import { publicBaseUrl } from '@/lib/http/public-base-url.ts';
import { completeSamlSignIn } from '@/lib/auth/saml.ts';
import { isSecureRequest, sessionCookie } from '@/lib/auth/sessions.ts';
import { consumeSignInAttempt } from '@/lib/http/rate-limit.ts';
import { toErrorResponse } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/saml/acs: the IdP's form post (SAMLResponse); 303 to the dashboard with a
// session, or to the sign-in page with ?error=saml|domain; 404 without a SAML connection
export async function POST(request: Request, { params }: { params: Promise<{ org: string }> }) {
  try {
    await consumeSignInAttempt(request.headers, (await params).org);
    // A body that is not a form counts as no response: refused after the org is resolved (404 first).
    const form = await request.formData().catch(() => null);
    const samlResponse = form?.get('SAMLResponse');
    const result = await completeSamlSignIn({
      slug: (await params).org,
      baseUrl: publicBaseUrl(request),
      samlResponse: typeof samlResponse === 'string' ? samlResponse : null,
    });
    if (result.outcome === 'refused') {
      return new Response(null, { status: 303, headers: { location: `/${result.org.slug}/sign-in?error=${result.reason}` } });
    }
    return new Response(null, {
      status: 303,
      headers: { location: `/${result.org.slug}`, 'set-cookie': sessionCookie(result.sessionToken, result.expires, isSecureRequest(request)) },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
