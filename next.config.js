/** @type {import('next').NextConfig} */
const nextConfig = {
  // The embedded database (PGlite) and the migration engine are WebAssembly packages loaded at
  // run time by Node, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', '@prisma/schema-engine-wasm', 'pino'],
  poweredByHeader: false,
  // Every response; pages also get a Content-Security-Policy with a nonce (proxy.ts).
  async headers() {
    const headers = {
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'X-Frame-Options': 'DENY', // frame-ancestors for browsers without CSP level 2
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
      'Cross-Origin-Opener-Policy': 'same-origin',
    };
    return [{ source: '/:path*', headers: Object.entries(headers).map(([key, value]) => ({ key, value })) }];
  },
  // NEXT_DIST_DIR (e.g. `.next-b`) lets several builds of one checkout live side by side, as when
  // e2e suites run in parallel; a build wipes its own folder, so they cannot nest under .next.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // Types are checked once, by `npm run typecheck` (part of `npm test`), not again in every build.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
