import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { consumeSignInAttempt } from '@/lib/http/rate-limit.ts';
import { toErrorResponse } from '@/lib/http/with-org.ts';
import { authOptionsFor, SIGN_IN_ORG_COOKIE, signInOrgSlug } from '@/lib/auth/next-auth-options.ts';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ nextauth: string[] }> };

// GET|POST /api/auth/*: next-auth, with the providers of the org the sign-in is for
async function handler(request: NextRequest, context: Context) {
  const slug = signInOrgSlug(request.nextUrl.pathname, request.cookies.get(SIGN_IN_ORG_COOKIE)?.value);
  // Starting a sign-in and the IdP's callback count as attempts; session and CSRF reads do not.
  if (/\/api\/auth\/(signin|callback)\//.test(request.nextUrl.pathname)) {
    try {
      await consumeSignInAttempt(request.headers, slug ?? '');
    } catch (error) {
      return toErrorResponse(error);
    }
  }
  return NextAuth(request, context, await authOptionsFor(slug));
}

export { handler as GET, handler as POST };
