import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The database the server under test runs on, for tests that set things up as an operator would
// (the CLI, or SQL): E2E_DATABASE_URL when the suite runs on PostgreSQL, else the server's embedded
// database, reached over its loopback port (playwright.config.ts).

export function serverDatabaseUrl(): string {
  return process.env.E2E_DATABASE_URL || `postgresql://postgres@127.0.0.1:${process.env.E2E_EMBEDDED_PORT}/postgres?sslmode=disable`;
}

/** The server's secret key: the embedded database's folder holds the one serve made. */
function serverSecretKey(): string {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_SECRET_KEY!;
  return readFileSync(path.join(process.env.E2E_DATA_DIR!, 'secret.key'), 'utf8').trim();
}

/** Runs `throughline ARGS` on the server's database; returns what it printed. */
export function throughline(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['bin/throughline.js', ...args], {
    env: { ...process.env, DATABASE_URL: serverDatabaseUrl(), DATABASE_POOL_MAX: '1', THROUGHLINE_SECRET_KEY: serverSecretKey(), ...env },
    encoding: 'utf8',
    stdio: 'pipe',
  });
}
