import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// The embedded default database: PostgreSQL compiled to WebAssembly (PGlite), persisted in a
// folder and served on a loopback port so Prisma, pg and the migration runner use it like any
// PostgreSQL. All connections share PGlite's single session, so clients keep small pools
// (DATABASE_POOL_MAX=1); the server allows a few more sockets than are open at once because a
// closed socket still counts for a moment.

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts PGlite on `dataDir` (or in memory for 'memory://') and serves it on 127.0.0.1. */
export async function startEmbeddedDatabase(options: { dataDir: string; port?: number }): Promise<EmbeddedDatabase> {
  const host = '127.0.0.1';
  const dataDir = options.dataDir === 'memory://' ? options.dataDir : path.resolve(options.dataDir);
  if (dataDir !== 'memory://') await mkdir(path.dirname(dataDir), { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const port = options.port || (await freePort(host));
  const server = new PGLiteSocketServer({ db: pglite, host, port, maxConnections: 8 });
  await server.start();
  return {
    url: `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
