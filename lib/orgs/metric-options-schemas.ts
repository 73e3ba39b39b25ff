import { z } from 'zod';
import { isValidTimeZone } from '../metrics/weeks.ts';

// The organization's metric options (docs/metrics.md): week boundaries, where cycle time starts,
// and the distortion warning's threshold.

/** IANA zone names (Area/Location, or UTC); aliases such as "EST" or "CET" are refused. */
export function isIanaTimeZone(name: string): boolean {
  return (name === 'UTC' || /^[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+)+$/.test(name)) && isValidTimeZone(name);
}

export const DISTORTION_MIN = 1.05;
export const DISTORTION_MAX = 10;

export const metricOptionsSchema = z
  .object({
    cycleTimeStart: z.enum(['created', 'in_progress'], { message: 'must be "created" or "in_progress"' }).describe('Ticket-to-merge starts when the ticket is created, or when it first moves to in progress'),
    timeZone: z
      .string()
      .max(64, 'must be at most 64 characters')
      .refine(isIanaTimeZone, 'must be an IANA time zone name such as "Europe/Berlin" or "UTC"')
      .describe('IANA time zone; weeks are ISO weeks starting Monday 00:00 in this zone'),
    distortionThreshold: z
      .number({ message: 'must be a number' })
      .min(DISTORTION_MIN, `must be at least ${DISTORTION_MIN} (+5%)`)
      .max(DISTORTION_MAX, `must be at most ${DISTORTION_MAX} (+900%)`)
      .describe('Warn when AI generation grew by this ratio over 4 weeks (1.5 = +50%) while delivery did not improve'),
  })
  .strict();

export type MetricOptions = z.infer<typeof metricOptionsSchema>;

export interface MetricOptionsAnswer {
  options: MetricOptions;
  /** Whether the weekly rollups were built with the current options; false while they are rebuilt (figures are computed live meanwhile). */
  rollupsCurrent: boolean;
  rollupsBuiltAt: string | null;
}
