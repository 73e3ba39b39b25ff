import { clearSessionCookies, endSession, sessionTokenFrom } from '@/lib/auth/sessions.ts';

export const dynamic = 'force-dynamic';

// POST /api/sign-out: ends the session (its row is deleted, so it stops working at once); 303 to /
export async function POST(request: Request) {
  const token = sessionTokenFrom(request.headers);
  if (token) await endSession(token);
  const headers = new Headers({ location: '/' });
  for (const cookie of clearSessionCookies()) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}
