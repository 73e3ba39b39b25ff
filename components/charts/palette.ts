/**
 * One palette for every chart: Okabe–Ito colours, which stay distinct under the common forms of
 * colour blindness. AI is always blue and human work always orange; lines also differ by dash.
 */
export const PALETTE = {
  ai: '#0072B2',
  human: '#E69F00',
  other: '#BFD7EA',
  p50: '#D55E00',
  p85: '#CC79A7',
  mean: '#555555',
  good: '#009E73',
  annotation: '#6b7280',
  phases: { waiting: '#999999', coding: '#56B4E9', pickup: '#E69F00', review: '#009E73', merge: '#0072B2' },
} as const;

/** Dash patterns for lines, so series are told apart without colour. */
export const DASH = { p50: undefined, p85: '6 4', mean: '2 3' } as const;
