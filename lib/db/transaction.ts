import { env } from '../env.ts';
import { db, pgPool } from './client.ts';
import { pgSql, prismaSql, type Sql } from './sql.ts';

// The embedded database (DATABASE_POOL_MAX=1) gives all its sockets one session: a second pool's
// BEGIN would interleave with Prisma's statements, so there transactions stay on Prisma's connection.
export const sharesOneSession = () => env().DATABASE_POOL_MAX === 1;

/**
 * Runs `work` in one transaction (committed when it returns, rolled back when it throws) on a
 * node-postgres connection of its own, or in a Prisma transaction on the embedded database.
 */
export async function inTransaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  if (sharesOneSession()) return db().$transaction((tx) => work(prismaSql(tx)), { timeout: 60_000 });
  const client = await pgPool().connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(pgSql(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
    throw error;
  } finally {
    // A connection whose rollback failed is in an unknown state: closed rather than reused.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
