import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env, resetEnvCache } from '../env.ts';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Closes the Prisma client if this command made one. The client module is loaded only then: a
 * command that never used Prisma (`import git` on PostgreSQL) does not load it to close nothing.
 */
async function disconnectDb(): Promise<void> {
  const made = globalThis as { throughlineDb?: unknown; throughlineReads?: unknown }; // where lib/db/client.ts keeps its clients
  if (!made.throughlineDb && !made.throughlineReads) return;
  const { disconnectDb: disconnect } = await import('../db/client.ts');
  await disconnect();
}

/**
 * The database a command works on: DATABASE_URL when set, else the embedded one in
 * THROUGHLINE_DATA_DIR, whose URL is then put into the environment so that `db()` and child
 * processes reach it (with a pool of one: it serves one session).
 */
export async function openDatabase(): Promise<DatabaseHandle> {
  const { DATABASE_URL, THROUGHLINE_DATA_DIR, THROUGHLINE_EMBEDDED_PORT } = env();
  if (DATABASE_URL) return { url: DATABASE_URL, embedded: false, close: disconnectDb };
  // Loaded only here: PGlite is a large module graph a command on DATABASE_URL never needs.
  const { startEmbeddedDatabase } = await import('../db/embedded.ts');
  const dataDir = path.resolve(THROUGHLINE_DATA_DIR, 'pgdata');
  const embedded = await startEmbeddedDatabase({ dataDir, port: THROUGHLINE_EMBEDDED_PORT });
  process.env.DATABASE_URL = embedded.url;
  process.env.DATABASE_POOL_MAX = '1';
  process.env.THROUGHLINE_SECRET_KEY ||= loadOrCreateLocalKey(THROUGHLINE_DATA_DIR);
  resetEnvCache();
  return {
    url: embedded.url,
    embedded: true,
    async close() {
      await disconnectDb();
      await embedded.stop();
    },
  };
}

/** Runs `fn` with the command's database open, and always closes it. */
export async function withDatabase<T>(fn: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await openDatabase();
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/**
 * The embedded database's secret key, kept beside its data (readable by the owner only) so that
 * a local install encrypts its secrets without any set-up. A server deployment sets
 * THROUGHLINE_SECRET_KEY instead.
 */
function loadOrCreateLocalKey(dir: string): string {
  const file = path.resolve(dir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
