import { describe, expect, test } from 'vitest';
import { isIanaTimeZone } from '../orgs/metric-options-schemas.ts';
import { listTimeZoneOptions, utcOffset } from './time-zones.ts';

describe('time zone options', () => {
  test('offsets follow summer time', () => {
    expect(utcOffset('Europe/Berlin', new Date('2026-01-15T12:00:00Z'))).toBe('UTC+01:00');
    expect(utcOffset('Europe/Berlin', new Date('2026-07-15T12:00:00Z'))).toBe('UTC+02:00');
    expect(utcOffset('UTC', new Date('2026-07-15T12:00:00Z'))).toBe('UTC+00:00');
    expect(utcOffset('Asia/Kolkata', new Date('2026-07-15T12:00:00Z'))).toBe('UTC+05:30');
  });

  test('UTC first, IANA names only, labelled for reading', () => {
    const zones = listTimeZoneOptions('UTC', new Date('2026-01-15T12:00:00Z'));
    expect(zones[0]).toEqual({ name: 'UTC', label: 'UTC (UTC+00:00)' });
    expect(zones.find((z) => z.name === 'America/New_York')).toEqual({ name: 'America/New_York', label: 'America/New York (UTC-05:00)' });
    expect(zones.length).toBeGreaterThan(300);
    expect(zones.every((z) => isIanaTimeZone(z.name))).toBe(true);
  });

  test('IANA names pass, aliases and made-up names do not', () => {
    for (const ok of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) expect(isIanaTimeZone(ok), ok).toBe(true);
    for (const bad of ['EST', 'CET', 'utc', 'Europe/Atlantis', '', 'Europe/Berlin; DROP']) expect(isIanaTimeZone(bad), bad).toBe(false);
  });
});
