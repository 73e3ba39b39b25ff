import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// End-to-end tests run the product as a new user does with `npm start`: `throughline serve` on a
// production build (`npm run test:e2e` builds first) with no DATABASE_URL, so on a fresh
// embedded database in a temporary folder, which serve migrates and seeds with the demo org.
// (Integration tests cover the real PostgreSQL.) E2E_DATABASE_URL runs them on a server instead.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const databaseUrl = process.env.E2E_DATABASE_URL ?? '';
// The config is loaded again in every worker; the environment carries the runner's choice to them.
process.env.E2E_DATA_DIR ??= databaseUrl ? '' : mkdtempSync(path.join(os.tmpdir(), 'throughline-e2e-'));
process.env.E2E_EMBEDDED_PORT ??= String(port + 50);
process.env.E2E_SECRET_KEY ??= randomBytes(32).toString('base64');
const dataDir = process.env.E2E_DATA_DIR;

export default defineConfig({
  testDir: 'e2e',
  // The warm-up (e2e/warm-up.setup.ts) runs first, then every spec.
  // first-run (e2e/first-run) is a new user's first minutes, start-up included: no warm-up.
  // scripts/e2e.ts picks the projects and the database for each run.
  projects: [
    { name: 'warm-up', testMatch: /warm-up\.setup\.ts$/ },
    { name: 'e2e', dependencies: ['warm-up'], testIgnore: /first-run\// },
    { name: 'first-run', testMatch: /first-run\/.*\.spec\.ts$/ },
  ],
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // The last three keep Chromium drawing frames on a busy machine: screenshots wait for one.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
        '--disable-renderer-backgrounding', '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows'],
    },
  },
  webServer: {
    command: `node bin/throughline.js serve --no-build --port ${port} --host 127.0.0.1`,
    url: `${baseURL}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      DATABASE_URL: databaseUrl,
      // On a server the demo sign-in is not offered unless asked for, and a secret key is required.
      ...(databaseUrl ? { THROUGHLINE_DEMO: '1', THROUGHLINE_SECRET_KEY: process.env.E2E_SECRET_KEY } : {}),
      ...(dataDir ? { THROUGHLINE_DATA_DIR: dataDir, THROUGHLINE_EMBEDDED_PORT: process.env.E2E_EMBEDDED_PORT } : {}),
      LOG_LEVEL: 'warn',
    },
  },
});
