import { toErrorResponse } from '../http/with-org.ts';
import { log } from '../log.ts';
import { rawEventFallback, type RawEventInput } from './raw-events.ts';
import { appendToSpool } from './spool.ts';
import { isConnectionError, SpoolUnavailableError } from './spool-errors.ts';
import { wakeWorker } from './worker.ts';

type Receive = (slug: string, request: Request) => Promise<{ stored: boolean; deliveryId: string }>;

/**
 * Where a receiver's delivery goes when the raw log is unreachable: the spool (lib/ingest/spool.ts),
 * on local disk, fdatasync'd before the 2xx; drained into the raw log when the database is back.
 * Any other database error is the receiver's error, as before.
 */
async function spoolWhenUnreachable(event: RawEventInput, error: unknown): Promise<{ stored: boolean; spooled: boolean }> {
  if (!isConnectionError(error)) throw error;
  try {
    await appendToSpool({ ...event, receivedAt: new Date().toISOString() });
  } catch (spoolError) {
    if (spoolError instanceof SpoolUnavailableError) throw spoolError;
    log.error({ err: spoolError }, 'spool append failed while the database is unreachable');
    throw new SpoolUnavailableError('The database is unreachable and the spool could not be written');
  }
  return { stored: true, spooled: true };
}

/**
 * The route handler of a webhook receiver: 202 once the delivery is stored raw (and the worker
 * woken) or, while the database is unreachable, spooled to disk; 200 for a redelivery; 503 with
 * Retry-After when it can be neither (see SpoolUnavailableError); the receiver's error otherwise.
 * The answer never comes before the delivery is durable.
 */
export function webhookRoute(receive: Receive) {
  return async (request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> => {
    try {
      const org = (await params).org;
      let spooled = false;
      const fallback = async (event: RawEventInput, error: unknown) => {
        const result = await spoolWhenUnreachable(event, error);
        spooled = true;
        return result;
      };
      const { stored, deliveryId } = await rawEventFallback.run(fallback, () => receive(org, request));
      if (stored && !spooled) wakeWorker();
      return Response.json({ deliveryId, stored, ...(spooled ? { spooled } : {}) }, { status: stored ? 202 : 200 });
    } catch (error) {
      if (error instanceof SpoolUnavailableError) {
        const body = { error: { code: 'unavailable', message: error.message } };
        return Response.json(body, { status: 503, headers: { 'retry-after': String(error.retryAfterSeconds) } });
      }
      return toErrorResponse(error);
    }
  };
}
