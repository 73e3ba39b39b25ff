import { signInToDemo } from '@/lib/auth/demo-sign-in.ts';
import { isSecureRequest, sessionCookie } from '@/lib/auth/sessions.ts';
import { consumeSignInAttempt } from '@/lib/http/rate-limit.ts';
import { toErrorResponse } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/demo-sign-in: one-click sign-in to a demo org (only where enabled); 303 to its dashboard
export async function POST(request: Request, { params }: { params: Promise<{ org: string }> }) {
  try {
    await consumeSignInAttempt(request.headers, (await params).org);
    const { org, sessionToken, expires } = await signInToDemo((await params).org);
    return new Response(null, {
      status: 303,
      headers: { location: `/${org.slug}`, 'set-cookie': sessionCookie(sessionToken, expires, isSecureRequest(request)) },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
