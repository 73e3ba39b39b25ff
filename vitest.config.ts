import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
// On a real PostgreSQL every integration test file gets its own database (cloned from a migrated
// template), so files run in parallel. On the embedded fallback they share one database and run
// one at a time; tests create their own orgs with random slugs, so they never collide.
const realServer = Boolean(process.env.DATABASE_URL);

export default defineConfig({
  resolve: { alias: { '@': root, 'server-only': path.join(root, 'test/server-only-stub.ts') } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['{lib,app,cli,components,test}/**/*.test.ts'], exclude: ['**/*.integration.test.ts', 'node_modules/**'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{lib,app,cli,test}/**/*.integration.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/file-database.ts'],
          fileParallelism: realServer,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
