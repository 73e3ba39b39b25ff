import type { z } from 'zod';
import type { pullRequestRowSchema, ticketRowSchema } from '../metrics/drilldown-schemas.ts';

export type PullRequestRow = z.infer<typeof pullRequestRowSchema>;
export type TicketRow = z.infer<typeof ticketRowSchema>;
