import { env } from '../env.ts';

/**
 * The origin users and other systems reach this server at: PUBLIC_URL when set, else the one the
 * request came in on. Next builds request.url from its listen address (http://localhost:PORT), not
 * from the Host the browser sent, so URLs shown to paste elsewhere (webhooks, SAML) use the Host
 * and X-Forwarded-Proto headers.
 */
export function publicBaseUrl(request: Request): string {
  const publicUrl = env().PUBLIC_URL;
  if (publicUrl) return publicUrl;
  const url = new URL(request.url);
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.slice(0, -1);
  return `${proto}://${request.headers.get('host') ?? url.host}`;
}
