import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '../env.ts';
import { PrismaClient } from './generated/client.ts';

export type Db = InstanceType<typeof PrismaClient>;

const globalForDb = globalThis as unknown as { throughlineDb?: Db };

export function createDb(connectionString: string, poolMax = env().DATABASE_POOL_MAX): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolMax }) });
}

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

export async function disconnectDb(): Promise<void> {
  await globalForDb.throughlineDb?.$disconnect();
  globalForDb.throughlineDb = undefined;
}
