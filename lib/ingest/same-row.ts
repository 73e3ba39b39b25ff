/**
 * Whether a stored row already holds every value of `data` (dates by instant). Events often repeat
 * what is stored (a review carries its pull request unchanged), and skipping the write then saves
 * a round trip and the refreshes that would follow it.
 */
export function holdsAll(row: object, data: Record<string, unknown>): boolean {
  const stored = row as Record<string, unknown>;
  return Object.entries(data).every(([key, value]) => {
    const current = stored[key];
    if (value instanceof Date || current instanceof Date) return value instanceof Date && current instanceof Date && value.getTime() === current.getTime();
    return (current ?? null) === (value ?? null);
  });
}
