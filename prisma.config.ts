import { defineConfig } from 'prisma/config';

// Used by `prisma generate` (offline, see scripts in package.json). Migrations are applied by
// `throughline db migrate` (lib/db/migrate.ts), which reads the same folder.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/throughline' },
});
