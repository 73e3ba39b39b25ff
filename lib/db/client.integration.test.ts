import { getPriority } from 'node:os';
import { afterEach, describe, expect, test } from 'vitest';
import { env, resetEnvCache } from '../env.ts';
import { createDb, db, pgPool } from './client.ts';
import { isConnectionError } from '../ingest/spool-errors.ts';
import { inTransaction } from './transaction.ts';

// The worker's sessions yield the CPU to acknowledgements when PostgreSQL runs on this machine.
describe('THROUGHLINE_DB_SESSION_NICE', () => {
  afterEach(() => {
    delete process.env.THROUGHLINE_DB_SESSION_NICE;
    resetEnvCache();
  });

  const backendNice = async (nice: string | undefined) => {
    if (nice === undefined) delete process.env.THROUGHLINE_DB_SESSION_NICE;
    else process.env.THROUGHLINE_DB_SESSION_NICE = nice;
    resetEnvCache();
    const client = createDb(env().DATABASE_URL!, 1);
    try {
      const [row] = await client.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      return getPriority(row!.pid);
    } finally {
      await client.$disconnect();
    }
  };

  test("renices the session's server process where it may, and leaves it alone by default", async () => {
    expect(await backendNice(undefined)).toBe(0);
    const niced = await backendNice('7');
    // Root may renice PostgreSQL's processes; another user only its own (then it stays 0 for a server run by postgres).
    if (process.getuid?.() === 0) expect(niced).toBe(7);
    else expect([0, 7]).toContain(niced);
  });
});

// A restart of PostgreSQL (or pg_terminate_backend) drops every session, the ones in use too.
describe('a connection the server drops', () => {
  const terminate = async (pid: number) => {
    await db().$executeRaw`SELECT pg_terminate_backend(${pid}::int)`;
    // The socket's end arrives on its own after the server closes it.
    await new Promise((resolve) => setTimeout(resolve, 300));
  };

  test.skipIf(env().DATABASE_POOL_MAX === 1)('while checked out fails its statement, not the process, and the pool goes on', async () => {
    const client = await pgPool().connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await terminate(rows[0]!.pid);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    const after = await inTransaction((sql) => sql.query<{ one: number }>`SELECT 1 AS one`);
    expect(after).toEqual([{ one: 1 }]);
  });

  test.skipIf(env().DATABASE_POOL_MAX === 1)('inside a transaction rejects it with an error read as a lost connection', async () => {
    const work = inTransaction(async (sql) => {
      const [row] = await sql.query<{ pid: number }>`SELECT pg_backend_pid() AS pid`;
      await terminate(row!.pid);
      return sql.query`SELECT 1 AS one`;
    });
    // Whatever the driver's words, the worker must read it as an outage (it then retries the event).
    const error = await work.catch((e: unknown) => e);
    expect(isConnectionError(error)).toBe(true);
    expect(await inTransaction((sql) => sql.query<{ one: number }>`SELECT 2 AS one`)).toEqual([{ one: 2 }]);
  });
});
