/** @type {import('next').NextConfig} */
const nextConfig = {
  // The embedded database (PGlite) and the migration engine are WebAssembly packages loaded at
  // run time by Node, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-socket', '@prisma/schema-engine-wasm', 'pino'],
  poweredByHeader: false,
  // Types are checked once, by `npm run typecheck` (part of `npm test`), not again in every build.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
