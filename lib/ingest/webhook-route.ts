import { toErrorResponse } from '../http/with-org.ts';
import { wakeWorker } from './worker.ts';

type Receive = (slug: string, request: Request) => Promise<{ stored: boolean; deliveryId: string }>;

/**
 * The route handler of a webhook receiver: 202 once the delivery is stored raw (and the worker
 * woken), 200 for a redelivery, the receiver's error otherwise. The answer never comes before the
 * raw event is committed.
 */
export function webhookRoute(receive: Receive) {
  return async (request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> => {
    try {
      const { stored, deliveryId } = await receive((await params).org, request);
      if (stored) wakeWorker();
      return Response.json({ deliveryId, stored }, { status: stored ? 202 : 200 });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
