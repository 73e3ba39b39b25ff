import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';
import { parseJsonText } from './json-body.ts';

export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** The raw request body, refused with 413 once it passes `limit` bytes (checked while streaming). */
export async function readBodyWithLimit(request: Request, limit = MAX_WEBHOOK_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length'));
  if (declared > limit) throw new AppError('payload_too_large', `Body over ${limit} bytes`);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError('payload_too_large', `Body over ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Refuses a body whose declared type is none of `accepted` (415), before reading it. */
export function assertContentType(request: Request, accepted: string[]): void {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!accepted.includes(type)) throw new AppError('unsupported_media_type', `Content-Type must be ${accepted.join(' or ')}`);
}

/** A webhook body as JSON; 400 when it is not, or is nested absurdly deep. */
export function parseJsonBody(body: Buffer | string): Prisma.InputJsonValue {
  return parseJsonText(body.toString(), 'a JSON webhook payload');
}

/** The headers worth keeping with a raw event (those present of `names`; never a signature). */
export function keptHeaders(request: Request, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((h) => (request.headers.get(h) ? [[h, request.headers.get(h)!]] : [])));
}

/** Whether `hex` is the HMAC-SHA256 of `body` under `secret`, compared in constant time. */
export function hmacSha256HexMatches(body: Buffer, hex: string, secret: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), createHmac('sha256', secret).update(body).digest());
}
