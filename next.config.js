/** @type {import('next').NextConfig} */
const nextConfig = {
  // The embedded database (PGlite) and the migration engine are WebAssembly packages loaded at
  // run time by Node, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', '@prisma/schema-engine-wasm', 'pino'],
  poweredByHeader: false,
  // NEXT_DIST_DIR (e.g. `.next-b`) lets several builds of one checkout live side by side, as when
  // e2e suites run in parallel; a build wipes its own folder, so they cannot nest under .next.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // Types are checked once, by `npm run typecheck` (part of `npm test`), not again in every build.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
