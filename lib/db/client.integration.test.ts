import { getPriority } from 'node:os';
import { afterEach, describe, expect, test } from 'vitest';
import { env, resetEnvCache } from '../env.ts';
import { createDb } from './client.ts';

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
