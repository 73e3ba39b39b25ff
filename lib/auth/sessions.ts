import { randomBytes } from 'node:crypto';
import { db } from '../db/client.ts';

// Database sessions, in next-auth's Session table and under its cookie names, so sessions made by
// an SSO sign-in (next-auth) and by the demo sign-in are one kind. Every request re-reads the
// session row, so deleting it (sign-out, member removed, admin action) ends access at once.

export const SESSION_COOKIE = 'next-auth.session-token';
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;
export const IDLE_TIMEOUT_MS = 8 * 3600_000;
export const ABSOLUTE_LIFETIME_MS = 7 * 24 * 3600_000;
/** lastSeenAt is written at most this often, to keep reads cheap. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

export interface SessionUser {
  userId: string;
  /** The org this session was signed in for; it grants access to that org only. */
  orgId: string;
  email: string | null;
  name: string | null;
}

/** A new session of `userId` for `orgId` (a fresh random id at every sign-in). */
export async function createSession({ userId, orgId, now = new Date() }: { userId: string; orgId: string; now?: Date }) {
  const sessionToken = randomBytes(32).toString('hex');
  const expires = new Date(now.getTime() + IDLE_TIMEOUT_MS);
  await db().session.create({ data: { sessionToken, userId, orgId, expires, createdAt: now, lastSeenAt: now } });
  return { sessionToken, expires };
}

/** The session token in a Cookie header, under either of next-auth's cookie names. */
export function sessionTokenFrom(headers: Headers): string | null {
  const cookies = headers.get('cookie');
  if (!cookies) return null;
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE || name === SECURE_SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** The signed-in user, or null when the session is unknown, idle for 8 h, or 7 days old. */
export async function getSessionUser(sessionToken: string, now = new Date()): Promise<SessionUser | null> {
  const session = await db().session.findUnique({ where: { sessionToken }, include: { user: true } });
  if (!session) return null;
  const idle = now.getTime() - session.lastSeenAt.getTime() >= IDLE_TIMEOUT_MS;
  const old = now.getTime() - session.createdAt.getTime() >= ABSOLUTE_LIFETIME_MS;
  if (idle || old || session.expires <= now) {
    await db().session.deleteMany({ where: { sessionToken } });
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    const expires = new Date(Math.min(now.getTime() + IDLE_TIMEOUT_MS, session.createdAt.getTime() + ABSOLUTE_LIFETIME_MS));
    await db().session.updateMany({ where: { sessionToken }, data: { lastSeenAt: now, expires } });
  }
  return { userId: session.userId, orgId: session.orgId, email: session.user.email, name: session.user.name };
}

export async function endSession(sessionToken: string): Promise<void> {
  await db().session.deleteMany({ where: { sessionToken } });
}

/** Set-Cookie value for a session: HttpOnly, SameSite=Lax, Secure (and __Secure- name) over https. */
export function sessionCookie(sessionToken: string, expires: Date, secure: boolean): string {
  const name = secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  return [`${name}=${sessionToken}`, 'Path=/', `Expires=${expires.toUTCString()}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearSessionCookies(): string[] {
  return [SESSION_COOKIE, SECURE_SESSION_COOKIE].map((name) => `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${name.startsWith('__Secure-') ? '; Secure' : ''}`);
}

/** True when the request reached us over https (directly or through a proxy that says so). */
export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}
