import { AppError } from '../../http/errors.ts';
import { storeRawEvent } from '../raw-events.ts';
import { getVerificationMaterial } from '../verification-material.ts';
import { assertContentType, hmacSha256HexMatches, keptHeaders, parseJsonBody, readBodyWithLimit } from '../read-body.ts';

const KEPT_HEADERS = ['linear-delivery', 'linear-event', 'user-agent', 'content-type'];

/** Linear's own SDK refuses a delivery whose `webhookTimestamp` is further than this from now: a replay. */
export const MAX_WEBHOOK_AGE_MS = 60_000;


/**
 * A Linear delivery for org `slug`: size-limited, `Linear-Signature` (hex HMAC-SHA256 of the raw
 * body) verified against the org's Linear secret, and its signed `webhookTimestamp` (ms) within a
 * minute of now, else the same 401 and nothing stored. The delivery id is `Linear-Delivery`; the
 * event type the payload's `type` (`Issue`, `Comment`, …).
 */
export async function receiveLinearWebhook(slug: string, request: Request, now = Date.now()): Promise<{ stored: boolean; deliveryId: string }> {
  assertContentType(request, ['application/json']);
  const body = await readBodyWithLimit(request);
  const signature = request.headers.get('linear-signature');
  const material = await getVerificationMaterial(slug, 'linear');
  if (!material || !signature || !hmacSha256HexMatches(body, signature, material.secret)) throw new AppError('unauthorized', 'Missing or invalid Linear-Signature');
  const { org } = material;

  const payload = parseJsonBody(body);
  const { webhookTimestamp, type } = (payload ?? {}) as { webhookTimestamp?: unknown; type?: unknown };
  if (typeof webhookTimestamp !== 'number' || Math.abs(now - webhookTimestamp) > MAX_WEBHOOK_AGE_MS) {
    throw new AppError('unauthorized', 'webhookTimestamp missing or more than 60 s from now');
  }
  if (typeof type !== 'string') throw new AppError('bad_request', 'Payload has no type');
  const deliveryId = request.headers.get('linear-delivery');
  if (!deliveryId) throw new AppError('bad_request', 'Linear-Delivery header is required');
  const headers = keptHeaders(request, KEPT_HEADERS);
  const { stored } = await storeRawEvent({ orgId: org.id, source: 'linear', deliveryId, eventType: type, headers, payload });
  return { stored, deliveryId };
}
