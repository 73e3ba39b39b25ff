import { isIanaTimeZone } from '../orgs/metric-options-schemas.ts';

// The time zones an admin can pick for the org, each labelled with its UTC offset now.

export interface ZoneOption {
  name: string;
  label: string;
}

/** "UTC+01:00" for a zone at `now`. */
export function utcOffset(timeZone: string, now: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return part === 'GMT' ? 'UTC+00:00' : part.replace('GMT', 'UTC');
}

/** UTC first, then every IANA zone by name; `current` is kept even if this runtime does not list it. */
export function listTimeZoneOptions(current: string, now = new Date()): ZoneOption[] {
  const names = new Set(Intl.supportedValuesOf('timeZone').filter(isIanaTimeZone));
  names.delete('UTC');
  if (current !== 'UTC') names.add(current);
  return ['UTC', ...[...names].sort()].map((name) => ({ name, label: `${name.replace(/_/g, ' ')} (${utcOffset(name, now)})` }));
}
