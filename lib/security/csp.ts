/**
 * Content-Security-Policy for a page: scripts only with this request's nonce (Next.js puts it on
 * its own scripts) or loaded by them; styles may be inline (React and recharts write style
 * attributes); images may be data:/blob: URLs (chart PNG export); no framing, plugins or foreign
 * base URLs. Development adds what `next dev` needs (eval for fast refresh, its websocket).
 */
export function contentSecurityPolicy(nonce: string, development = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
