import { createHash } from 'node:crypto';
import pg from 'pg';
// The namespace alone: this module is loaded by `import git`, which on PostgreSQL never needs the
// client (lib/db/transaction.ts runs statements on the process's connections).
import * as Prisma from './generated/internal/prismaNamespace.ts';

// SQL statements inside one transaction, on either of two connections: node-postgres (the worker's
// hot handlers: a query costs the Node process about a quarter of the CPU it costs through Prisma,
// `npm run bench:query-overhead`) or a Prisma transaction (the single-session embedded database,
// and callers already inside one). Statements are written once, as Prisma.sql templates, and run
// the same on both. Values must keep their meaning on both: ids and other typed parameters carry
// an explicit cast, JSON goes as a string cast to jsonb (pg would send a JS array as a SQL array),
// and results avoid bigint and numeric (Prisma returns BigInt and Decimal, pg strings).

export interface Sql {
  /** The rows of a query. */
  query<T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T[]>;
  /** Runs a statement; how many rows it changed. */
  execute(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
}

const statement = (strings: TemplateStringsArray | Prisma.Sql, values: unknown[]) =>
  strings instanceof Prisma.Sql ? strings : Prisma.sql(strings, ...values);

/** Statements on a Prisma client or transaction. */
export function prismaSql(tx: Prisma.TransactionClient): Sql {
  return {
    query: <T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => tx.$queryRaw<T[]>(statement(strings, values)),
    execute: (strings, ...values) => tx.$executeRaw(statement(strings, values)),
  };
}

// Statements run on node-postgres as named prepared statements: each connection parses and plans
// a statement once instead of on every run, which saves the server most of its CPU per statement
// in the worker's short transactions. A statement's name follows from its text.
const names = new Map<string, string>();
const MAX_NAMES = 1000;

function prepared(strings: TemplateStringsArray | Prisma.Sql, values: unknown[]): pg.QueryConfig {
  const { text, values: params } = statement(strings, values);
  let name = names.get(text);
  if (!name) {
    name = `tl_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    // Texts made from lists of varying length would grow this without end: past the cap, unnamed.
    if (names.size < MAX_NAMES) names.set(text, name);
    else return { text, values: params };
  }
  return { name, text, values: params };
}

/** Statements on a node-postgres connection. */
export function pgSql(client: pg.ClientBase): Sql {
  return {
    async query<T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await client.query(prepared(strings, values))).rows as T[];
    },
    async execute(strings, ...values) {
      return (await client.query(prepared(strings, values))).rowCount ?? 0;
    },
  };
}
