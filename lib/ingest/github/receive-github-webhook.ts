import { verify } from '@octokit/webhooks-methods';
import type { Prisma } from '../../db/generated/client.ts';
import { AppError } from '../../http/errors.ts';
import { storeRawEvent } from '../raw-events.ts';
import { getVerificationMaterial } from '../verification-material.ts';
import { assertContentType, keptHeaders, parseJsonBody, readBodyWithLimit } from '../read-body.ts';

// Headers kept with the raw event: what identifies and describes the delivery (never the signature).
const KEPT_HEADERS = ['x-github-event', 'x-github-delivery', 'x-github-hook-id', 'x-github-hook-installation-target-id', 'x-github-hook-installation-target-type', 'user-agent', 'content-type'];

function parsePayload(body: Buffer, contentType: string | null): Prisma.InputJsonValue {
  // GitHub sends either JSON or a form with the JSON in `payload`, as the hook is configured.
  const text = body.toString('utf8');
  return parseJsonBody(contentType?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(text).get('payload') ?? '' : text);
}

/**
 * A GitHub delivery for org `slug`: size-limited, signature-verified against the org's secret
 * (constant-time, by @octokit/webhooks-methods), then stored raw. Every failure to verify,
 * including an unknown org or one without a GitHub secret, is the same 401: a sender learns nothing.
 */
export async function receiveGithubWebhook(slug: string, request: Request): Promise<{ stored: boolean; deliveryId: string }> {
  assertContentType(request, ['application/json', 'application/x-www-form-urlencoded']);
  const body = await readBodyWithLimit(request);
  const signature = request.headers.get('x-hub-signature-256');
  const material = await getVerificationMaterial(slug, 'github');
  const valid = Boolean(material && signature && (await verify(material.secret, body.toString('utf8'), signature).catch(() => false)));
  if (!material || !valid) throw new AppError('unauthorized', 'Missing or invalid X-Hub-Signature-256');
  const { org } = material;

  const deliveryId = request.headers.get('x-github-delivery');
  const eventType = request.headers.get('x-github-event');
  if (!deliveryId || !eventType) throw new AppError('bad_request', 'X-GitHub-Delivery and X-GitHub-Event headers are required');
  const payload = parsePayload(body, request.headers.get('content-type'));
  const headers = keptHeaders(request, KEPT_HEADERS);
  const { stored } = await storeRawEvent({ orgId: org.id, source: 'github', deliveryId, eventType, headers, payload });
  return { stored, deliveryId };
}
