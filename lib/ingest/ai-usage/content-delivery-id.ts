import { createHash } from 'node:crypto';

// Usage reports and imported files have no delivery id of their own: it is a hash of what was
// sent (and what it was sent for, e.g. a team's scope), so the same report sent twice is stored
// once while a changed one is new.

export function contentDeliveryId(kind: string, ...parts: (Buffer | string)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `${kind}:${hash.digest('hex').slice(0, 32)}`;
}
