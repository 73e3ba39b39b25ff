import { expect, test } from 'vitest';
import { isConnectionError } from './spool-errors.ts';

test('connection refused, terminated, shutting down and starting up count as unreachable, through Prisma wrappers', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 });
  expect(isConnectionError(refused)).toBe(true);
  expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
  expect(isConnectionError(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
  // Prisma: P2010 "Raw query failed" with the adapter's error in meta.
  const prisma = Object.assign(new Error('Raw query failed.'), { code: 'P2010', meta: { driverAdapterError: Object.assign(new Error('DatabaseNotReachable'), { cause: { kind: 'DatabaseNotReachable' } }) } });
  expect(isConnectionError(prisma)).toBe(true);
  expect(isConnectionError(Object.assign(new Error('x'), { code: 'P1001' }))).toBe(true);
});

test('errors the database answered are not', () => {
  expect(isConnectionError(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
  expect(isConnectionError(Object.assign(new Error('Raw query failed.'), { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', code: '22P02' } } } }))).toBe(false);
  expect(isConnectionError(new Error('payload not understood'))).toBe(false);
  expect(isConnectionError(null)).toBe(false);
});
