import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy } from './lib/security/csp.ts';

/**
 * Every page gets a Content-Security-Policy with a fresh nonce. Next.js reads the policy from the
 * request headers and puts the nonce on the scripts it renders; the response carries the same
 * policy to the browser. (The headers every response gets are in next.config.js.)
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Pages only: API routes answer JSON, and static files carry no scripts of their own.
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|icon.svg|favicon.ico).*)',
      missing: [{ type: 'header', key: 'next-router-prefetch' }, { type: 'header', key: 'purpose', value: 'prefetch' }],
    },
  ],
};
