// Ratios of figures other families count (docs/metrics.md#ai-prs-merged, #per-engineer-throughput),
// derived once a week's figures of a scope are merged, so each count keeps one implementation
// (prsMerged stays in prs-merged.ts). Null when the denominator is 0.

export type RatioFigures = {
  aiPrShare: number | null;
  prsMergedPerEngineer: number | null;
  ticketsDonePerEngineer: number | null;
};

/** The figures the ratios divide. */
export type RatioInputs = {
  prsMerged: number;
  aiPrsMerged: number;
  ticketsDone: number;
  activeEngineers: number;
};

export const EMPTY_RATIOS: RatioFigures = { aiPrShare: null, prsMergedPerEngineer: null, ticketsDonePerEngineer: null };

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

export function weekRatios(f: RatioInputs): RatioFigures {
  return {
    aiPrShare: ratio(f.aiPrsMerged, f.prsMerged),
    prsMergedPerEngineer: ratio(f.prsMerged, f.activeEngineers),
    ticketsDonePerEngineer: ratio(f.ticketsDone, f.activeEngineers),
  };
}
