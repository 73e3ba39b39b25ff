import { createHash } from 'node:crypto';
import { AppError } from '../../http/errors.ts';
import { storeRawEvent } from '../raw-events.ts';
import { getVerificationMaterial } from '../verification-material.ts';
import { assertContentType, hmacSha256HexMatches, keptHeaders, parseJsonBody, readBodyWithLimit } from '../read-body.ts';

const KEPT_HEADERS = ['x-atlassian-webhook-identifier', 'x-atlassian-webhook-retry', 'x-atlassian-webhook-flow', 'user-agent', 'content-type'];

/** Jira Cloud signs a webhook registered with a secret as `X-Hub-Signature: sha256=<hex HMAC of the body>`. */
function signatureMatches(body: Buffer, signature: string, secret: string): boolean {
  const sent = /^sha256=(.*)$/i.exec(signature)?.[1];
  return sent !== undefined && hmacSha256HexMatches(body, sent, secret);
}

/**
 * A Jira Cloud delivery for org `slug`: size-limited, `X-Hub-Signature` verified against the org's
 * Jira secret (unknown org, no secret, missing or wrong signature: the same 401), then stored raw.
 * The delivery id is `X-Atlassian-Webhook-Identifier` (the same on Jira's retries), else a hash of
 * the body; the event type is the payload's `webhookEvent`.
 */
export async function receiveJiraWebhook(slug: string, request: Request): Promise<{ stored: boolean; deliveryId: string }> {
  assertContentType(request, ['application/json']);
  const body = await readBodyWithLimit(request);
  const signature = request.headers.get('x-hub-signature');
  const material = await getVerificationMaterial(slug, 'jira');
  if (!material || !signature || !signatureMatches(body, signature, material.secret)) throw new AppError('unauthorized', 'Missing or invalid X-Hub-Signature');
  const { org } = material;

  const payload = parseJsonBody(body);
  const eventType = (payload as { webhookEvent?: unknown } | null)?.webhookEvent;
  if (typeof eventType !== 'string') throw new AppError('bad_request', 'Payload has no webhookEvent');
  const deliveryId = request.headers.get('x-atlassian-webhook-identifier') || `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const headers = keptHeaders(request, KEPT_HEADERS);
  const { stored } = await storeRawEvent({ orgId: org.id, source: 'jira', deliveryId, eventType, headers, payload });
  return { stored, deliveryId };
}
