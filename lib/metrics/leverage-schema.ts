import { z } from 'zod';

const period = z.object({
  from: z.string().describe('Monday of the first week, YYYY-MM-DD'),
  to: z.string().describe('Sunday of the last week, YYYY-MM-DD'),
  aiLinesAdded: z.number().int(),
  tokens: z.number().int(),
  ticketsDone: z.number().int(),
  prsMerged: z.number().int(),
  engineerWeeks: z.number().int().describe('Sum of the weekly activeEngineers'),
  ticketsDonePerEngineerWeek: z.number().nullable(),
  prsMergedPerEngineerWeek: z.number().nullable(),
  tokensPerTicket: z.number().nullable().describe('tokens / ticketsDone; null with no ticket done'),
});

export const leverageSchema = z
  .object({
    before: period,
    after: period,
    throughputBasis: z.enum(['ticketsDone', 'prsMerged']).describe('ticketsDone when either period has a ticket done, else prsMerged'),
    generationGrowth: z.number().nullable().describe('after.aiLinesAdded / before.aiLinesAdded'),
    tokenGrowth: z.number().nullable().describe('after.tokens / before.tokens'),
    throughputGrowth: z.number().nullable().describe('Growth of the basis per engineer-week'),
    leverage: z.number().nullable().describe('throughputGrowth / generationGrowth; below 1, generation outran delivery'),
    tokenLeverage: z.number().nullable().describe('throughputGrowth / tokenGrowth'),
  })
  .describe("The range's last 4 weeks (after) against the 4 before them (docs/metrics.md#leverage)");
