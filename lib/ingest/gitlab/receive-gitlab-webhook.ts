import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../http/errors.ts';
import { storeRawEvent } from '../raw-events.ts';
import { getVerificationMaterial } from '../verification-material.ts';
import { assertContentType, keptHeaders, parseJsonBody, readBodyWithLimit } from '../read-body.ts';

const KEPT_HEADERS = ['x-gitlab-event', 'x-gitlab-event-uuid', 'x-gitlab-webhook-uuid', 'idempotency-key', 'x-gitlab-instance', 'user-agent', 'content-type'];

/** GitLab sends its secret token verbatim; compared as hashes so the comparison is constant-time whatever the lengths. */
function tokenMatches(sent: string, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(sent), digest(secret));
}

/**
 * A GitLab delivery for org `slug`: size-limited, `X-Gitlab-Token` checked against the org's
 * secret (unknown org, no secret, wrong token: the same 401), then stored raw. The delivery id
 * is `Idempotency-Key` (stable across GitLab's retries of one delivery), else `X-Gitlab-Event-UUID`;
 * the event type is the payload's `object_kind`.
 */
export async function receiveGitlabWebhook(slug: string, request: Request): Promise<{ stored: boolean; deliveryId: string }> {
  assertContentType(request, ['application/json']);
  const body = await readBodyWithLimit(request);
  const token = request.headers.get('x-gitlab-token');
  const material = await getVerificationMaterial(slug, 'gitlab');
  if (!material || !token || !tokenMatches(token, material.secret)) throw new AppError('unauthorized', 'Missing or invalid X-Gitlab-Token');
  const { org } = material;

  const deliveryId = request.headers.get('idempotency-key') || request.headers.get('x-gitlab-event-uuid');
  if (!deliveryId) throw new AppError('bad_request', 'Idempotency-Key or X-Gitlab-Event-UUID header is required');
  const payload = parseJsonBody(body);
  const kind = (payload as { object_kind?: unknown } | null)?.object_kind;
  if (typeof kind !== 'string') throw new AppError('bad_request', 'Payload has no object_kind');
  const headers = keptHeaders(request, KEPT_HEADERS);
  const { stored } = await storeRawEvent({ orgId: org.id, source: 'gitlab', deliveryId, eventType: kind, headers, payload });
  return { stored, deliveryId };
}
