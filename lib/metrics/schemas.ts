import { z } from 'zod';
import { ISO_DATE } from './weeks.ts';

export const METRICS_VERSION = 1;
export const MAX_WEEKS = 104;

const isoDate = z.string().regex(ISO_DATE, 'must be a date as YYYY-MM-DD');

export const weeklyQuerySchema = z
  .object({
    team: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a team slug').optional().describe('Team slug; the whole org when absent'),
    from: isoDate.optional().describe('First day of the range; its ISO week is the first week (default: 11 weeks before `to`)'),
    to: isoDate.optional().describe('Last day of the range; its ISO week is the last week (default: the current week)'),
  })
  .strict();

export type WeeklyQuery = z.infer<typeof weeklyQuerySchema>;

export const weekMetricsSchema = z.object({
  weekStart: z.string().describe('Monday of the ISO week in the org time zone, YYYY-MM-DD'),
  prsMerged: z.number().int(),
  linesAdded: z.number().int(),
  aiLinesAdded: z.number().int(),
  ticketsMerged: z.number().int().describe('Tickets behind the cycle time figure'),
  ticketToMergeP50Hours: z.number().nullable().describe('null when no ticket reached merge that week'),
});

export const weeklyMetricsSchema = z.object({
  org: z.string(),
  team: z.string().nullable(),
  timeZone: z.string(),
  metricsVersion: z.number().int(),
  weeks: z.array(weekMetricsSchema),
});

export type WeekMetrics = z.infer<typeof weekMetricsSchema>;
export type WeeklyMetrics = z.infer<typeof weeklyMetricsSchema>;
