import { z } from 'zod';

const pair = z.object({ before: z.number().nullable(), after: z.number().nullable() });

export const distortionFlagSchema = z.object({
  kind: z.literal('distortion'),
  team: z.string().nullable().describe('Team slug; null for the whole org'),
  weekStart: z.string().describe('Last week of the trailing 4-week window'),
  windowStart: z.string(),
  previousWindowStart: z.string(),
  threshold: z.number().describe('Organization.distortionThreshold'),
  generationBasis: z.enum(['aiLinesAdded', 'tokens']),
  generationGrowth: z.number(),
  aiLinesAdded: pair,
  tokens: pair,
  cycleTimeFigure: z.enum(['ticketToMerge', 'prCycle']).nullable(),
  cycleTimeP50Hours: pair.describe('p50 over the items of each 4-week window'),
  cycleTimeChange: z.number().nullable().describe('after / before'),
  reviewTimeP50Hours: pair,
  reviewTimeChange: z.number().nullable(),
  firstRunPassRate: pair.describe('Σ firstRunPassed / Σ firstRunHeads of each window; null when no head commit had CI'),
  firstRunPassRateChange: z.number().nullable(),
  message: z.string(),
});
