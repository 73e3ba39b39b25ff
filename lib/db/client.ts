import { setPriority } from 'node:os';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { env } from '../env.ts';
import { log } from '../log.ts';
import { PrismaClient } from './generated/client.ts';
import { ReadRouter } from './read-replica.ts';

export type Db = InstanceType<typeof PrismaClient>;

const globalForDb = globalThis as unknown as { throughlineDb?: Db; throughlineReads?: ReadRouter<Db>; throughlinePgPool?: pg.Pool };

export function createDb(connectionString: string, poolMax = env().DATABASE_POOL_MAX): Db {
  // With one connection (the embedded database) a transaction waits its turn behind whatever holds
  // it, which can be a rollup chunk for some seconds: Prisma's 2 s default would fail the request.
  const transactionOptions = poolMax === 1 ? { maxWait: 60_000 } : undefined;
  return new PrismaClient({ adapter: new PrismaPg(createPool(connectionString, poolMax), { disposeExternalPool: true }), transactionOptions });
}

function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // A connection the server drops (a restart, a terminated session) emits 'error': on the pool
  // while idle, on the client while checked out. Unheard, either ends the process. The pool
  // discards the broken client and makes a new one when next asked, and the statement in flight
  // fails on its own, so the outage is reported by whoever notices it (worker, read router,
  // receivers), once, not here per connection.
  pool.on('error', (error) => log.debug({ err: error }, 'database connection lost while idle'));
  const nice = env().THROUGHLINE_DB_SESSION_NICE;
  pool.on('connect', (client) => {
    client.on('error', (error) => log.debug({ err: error }, 'database connection lost'));
    if (nice) niceSession(client, nice);
  });
  return pool;
}

/**
 * Lowers the CPU priority of a session's server process, where PostgreSQL runs on this machine and
 * this process may renice it: background work (the worker's handlers) then yields to the sessions
 * that acknowledge deliveries. Anywhere else it changes nothing.
 */
function niceSession(client: pg.PoolClient, nice: number): void {
  // The server's pid arrives with the connection (BackendKeyData): no query, which here would run
  // beside the first statement of whoever asked for the connection.
  // On another machine that pid is someone else's process: left alone.
  const pid = (client as unknown as { processID: number | null }).processID;
  if (!pid || !isThisMachine(client.host)) return;
  try {
    setPriority(pid, nice);
  } catch {
    // A remote server, or no permission: the session keeps its priority.
  }
}

const isThisMachine = (host: string) => host.startsWith('/') || ['localhost', '127.0.0.1', '::1', ''].includes(host);

/**
 * The one PrismaClient of the process, on DATABASE_URL. Kept on globalThis so Next's dev reloads
 * do not open a pool per reload. The embedded database is reached through DATABASE_URL too:
 * `throughline serve` starts it and sets the variable for the server it launches.
 */
export function db(): Db {
  if (!globalForDb.throughlineDb) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (start through `throughline serve` for the embedded database)');
    globalForDb.throughlineDb = createDb(url);
  }
  return globalForDb.throughlineDb;
}

/**
 * Runs a dashboard metrics read on the read replica (DATABASE_READ_URL) while it is within
 * DATABASE_READ_MAX_LAG_SECONDS of the primary, else on the primary (read-replica.ts); without
 * DATABASE_READ_URL, on db(). Every statement of `read` must go to the client it is given, so they
 * all see one server. Only for reads that tolerate that lag: nothing that writes, nor anything read
 * right after this process's own write (sign-in, settings).
 */
export function readDb<T>(read: (client: Db) => Promise<T>): Promise<T> {
  const { DATABASE_READ_URL: url, DATABASE_READ_MAX_LAG_SECONDS: maxLagSeconds } = env();
  if (!url) return read(db());
  globalForDb.throughlineReads ??= new ReadRouter(db(), createDb(url));
  return globalForDb.throughlineReads.run(read, maxLagSeconds * 1000);
}

/**
 * The process's node-postgres pool on DATABASE_URL, beside Prisma's, for statements where Prisma's
 * per-query CPU matters (lib/db/sql.ts: the worker's transactions).
 */
export function pgPool(): pg.Pool {
  if (!globalForDb.throughlinePgPool) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (start through `throughline serve` for the embedded database)');
    globalForDb.throughlinePgPool = createPool(url, env().DATABASE_POOL_MAX);
  }
  return globalForDb.throughlinePgPool;
}

export async function disconnectDb(): Promise<void> {
  await globalForDb.throughlinePgPool?.end();
  globalForDb.throughlinePgPool = undefined;
  await globalForDb.throughlineReads?.replica.$disconnect();
  await globalForDb.throughlineDb?.$disconnect();
  globalForDb.throughlineReads = undefined;
  globalForDb.throughlineDb = undefined;
}
