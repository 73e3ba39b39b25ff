import { describe, expect, test } from 'vitest';
import type { AiUsageRecord } from './ai-usage-schemas.ts';
import { sumUsageRecords } from './sum-usage-records.ts';

const rec = (o: Partial<AiUsageRecord>): AiUsageRecord => ({ day: '2026-03-02', tool: 'cursor', model: '', email: 'ada@example.com', ...o });

describe('sumUsageRecords', () => {
  test('adds up the records of one key (email case aside) and sorts rows by key', () => {
    const rows = sumUsageRecords([
      rec({ day: '2026-03-03', requests: 1 }),
      rec({ email: 'Ada@Example.com', requests: 2, costUsd: 0.1 }),
      rec({ requests: 3, costUsd: 0.2, tokensIn: 5 }),
      rec({ model: 'gpt-5', requests: 4 }),
    ]);
    expect(rows.map((r) => [r.day, r.identityKey, r.model, r.metrics.requests, r.metrics.costUsd, r.metrics.tokensIn])).toEqual([
      ['2026-03-02', 'ada@example.com', '', 5, 0.30000000000000004, 5],
      ['2026-03-02', 'ada@example.com', 'gpt-5', 4, 0, 0],
      ['2026-03-03', 'ada@example.com', '', 1, 0, 0],
    ]);
  });

  test.each([
    ['requests', { requests: 2_000_000_000 }, 'records: the sum of requests for 2026-03-02 cursor ada@example.com is over 2147483647'],
    ['costUsd', { costUsd: 6e9 }, 'records: the sum of costUsd for 2026-03-02 cursor ada@example.com is over 9999999999'],
  ])('refuses a sum of %s past what its column holds', (_name, figures, message) => {
    expect(() => sumUsageRecords([rec(figures), rec(figures)])).toThrow(message);
  });

  test('an email-less record is keyed by its person key, as given', () => {
    expect(sumUsageRecords([rec({ email: undefined, person: 'Grace-H', personProvider: 'github' })])[0]).toMatchObject({ identityKey: 'Grace-H', person: 'Grace-H', personProvider: 'github' });
  });
});
