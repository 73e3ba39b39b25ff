import { createHash } from 'node:crypto';

// Generic CI reports have no delivery id of their own: it is the run id, the attempt and a hash of
// the body, so a resent report is a redelivery (stored once) while a changed one is new.

/** What every delivery id of one run attempt starts with (the run id escaped, as it may hold ':'). */
export function ciDeliveryPrefix(runId: string, attempt: number): string {
  return `${encodeURIComponent(runId)}:${attempt}:`;
}

export function ciDeliveryId({ runId, attempt, kind, body }: { runId: string; attempt: number; kind: 'run' | 'junit'; body: Buffer }): string {
  return `${ciDeliveryPrefix(runId, attempt)}${kind}:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}
