import type { Random } from './random.ts';
import type { DemoTool, EngineerDef } from './roster.ts';
import { aiIntensity } from './story.ts';
import { DAY, WEEK } from './work-hours.ts';

// Daily AI tool usage as the tools report it, per engineer per working day.

export interface UsageDraft {
  engineer: number;
  day: number;
  tool: DemoTool;
  model: string;
  tokensIn: number;
  tokensOut: number;
  tokensCacheRead: number;
  tokensCacheWrite: number;
  costUsd: number;
  linesSuggested: number;
  linesAccepted: number;
  sessions: number;
}

/** USD per million tokens: input, output, cache read, cache write. */
const PRICES: Record<string, readonly [number, number, number, number]> = {
  'claude-sonnet-4-5': [3, 15, 0.3, 3.75],
  'gpt-5': [1.25, 10, 0.125, 0],
};

function dayUsage(rand: Random, engineer: EngineerDef, tool: DemoTool, scale: number) {
  if (tool === 'copilot') {
    // Copilot reports completions, not tokens (it is paid per seat).
    const suggested = Math.round(420 * scale);
    const accepted = Math.round(suggested * (0.22 + 0.12 * rand.next()));
    return {
      tokensIn: 0, tokensOut: 0, tokensCacheRead: 0, tokensCacheWrite: 0, costUsd: 0,
      linesSuggested: suggested, linesAccepted: accepted, sessions: rand.int(3, 12),
    };
  }
  const agent = tool === 'claude_code';
  const tokensIn = Math.round((agent ? 40_000 : 60_000) * scale);
  const tokensOut = Math.round((agent ? 45_000 : 30_000) * scale);
  const tokensCacheRead = Math.round((agent ? 3_500_000 : 1_500_000) * scale);
  const tokensCacheWrite = agent ? Math.round(180_000 * scale) : 0;
  const [pin, pout, pread, pwrite] = PRICES[engineer.model] ?? [0, 0, 0, 0];
  const costUsd = (tokensIn * pin + tokensOut * pout + tokensCacheRead * pread + tokensCacheWrite * pwrite) / 1_000_000;
  const accepted = Math.round((agent ? 180 : 120) * scale * rand.lognormal(1, 0.4));
  return {
    tokensIn,
    tokensOut,
    tokensCacheRead,
    tokensCacheWrite,
    costUsd: Math.round(costUsd * 10_000) / 10_000,
    linesSuggested: Math.round(accepted / (0.6 + 0.25 * rand.next())),
    linesAccepted: accepted,
    sessions: rand.int(1, 3) + Math.round(2 * scale),
  };
}

export function simulateAiUsage(
  rand: Random,
  engineers: readonly EngineerDef[],
  window: { start: number; weeks: number; horizon: number },
): UsageDraft[] {
  const out: UsageDraft[] = [];
  for (let week = 0; week < window.weeks; week++) {
    engineers.forEach((engineer, index) => {
      const intensity = aiIntensity(engineer.aiFrom, week, window.weeks);
      if (!engineer.tool || intensity === 0 || engineer.vacationWeeks.has(week)) return;
      for (let weekday = 0; weekday < 5; weekday++) {
        if (!rand.chance(0.55 + 0.35 * Math.min(1, intensity))) continue;
        const scale = intensity * rand.lognormal(1, 0.5);
        out.push({
          engineer: index,
          day: window.start + week * WEEK + weekday * DAY,
          tool: engineer.tool,
          model: engineer.model,
          ...dayUsage(rand, engineer, engineer.tool, scale),
        });
      }
    });
  }
  // Days not yet begun at the horizon have no usage to report.
  return out.filter((u) => u.day <= window.horizon);
}
