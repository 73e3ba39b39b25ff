import { performance } from 'node:perf_hooks';
import { log } from '../log.ts';
import type { Db } from './client.ts';

// Routing dashboard reads between the primary and a streaming replica (docs/scaling.md#read-replicas-for-dashboard-reads).
// The promise: a read never misses a change committed on the primary more than the bound before it
// started. The router measures how far behind the replica is at most every CHECK_EVERY_MS, and the
// measurement ages: a replica found L ms behind at instant c is at most L + (t − c) behind at t.
// A replica that cannot be measured (down, or promoted) counts as infinitely behind.

type Queryable = Pick<Db, '$queryRaw'>;

/** Measure at most this often (and twice per bound, so a healthy replica never ages out between checks). */
const CHECK_EVERY_MS = 2_000;
/** A measurement that takes longer than this (a replica behind a black hole) counts as a failure. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * How far behind the primary the replica's visible data is, in ms: it holds every transaction
 * the primary committed until that long ago. Replayed all the WAL the primary had written when
 * asked: the time the two questions took. Else: the time since the last transaction it replayed
 * committed, on the primary's clock (commit timestamps are the primary's), so clock skew between
 * the servers does not enter; WAL that commits nothing (a checkpoint) can only overstate it.
 */
export async function replicaLagMs(primary: Queryable, replica: Queryable): Promise<number> {
  const started = performance.now();
  const [p] = await primary.$queryRaw<{ lsn: string; now: Date }[]>`SELECT pg_current_wal_lsn()::text AS lsn, clock_timestamp() AS now`;
  const [r] = await replica.$queryRaw<{ recovering: boolean; caught_up: boolean | null; replayed_at: Date | null }[]>`
    SELECT pg_is_in_recovery() AS recovering, pg_last_wal_replay_lsn() >= ${p!.lsn}::pg_lsn AS caught_up,
           pg_last_xact_replay_timestamp() AS replayed_at`;
  // A promoted replica (or a primary) no longer follows DATABASE_URL: nothing bounds its lag.
  if (!r!.recovering) throw new Error('DATABASE_READ_URL is not a server in recovery (not a replica, or promoted)');
  const asked = performance.now() - started;
  if (r!.caught_up) return asked;
  if (!r!.replayed_at) return Infinity;
  return Math.max(0, p!.now.getTime() - r!.replayed_at.getTime()) + asked;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class ReadRouter<C extends Queryable> {
  /** The last measurement: lag (ms) as of `at` (performance.now()). */
  private measured = { at: -Infinity, lagMs: Infinity };
  private measuring: Promise<void> | undefined;
  private unusable = false;

  constructor(
    readonly primary: C,
    readonly replica: C,
  ) {}

  /**
   * Runs `read` on the replica when it is within `maxLagMs` of the primary, else on the primary.
   * A read that fails on the replica but not on the primary (the replica went down, or cancelled
   * it for a recovery conflict) is answered by the primary, and the replica is left alone until
   * the next measurement.
   */
  async run<T>(read: (client: C) => Promise<T>, maxLagMs: number): Promise<T> {
    if (!(await this.replicaFresh(maxLagMs))) return read(this.primary);
    try {
      return await read(this.replica);
    } catch (error) {
      const answer = await read(this.primary); // fails too: the read's own error, not the replica's
      this.markUnusable(error);
      return answer;
    }
  }

  private async replicaFresh(maxLagMs: number): Promise<boolean> {
    if (performance.now() - this.measured.at >= Math.min(CHECK_EVERY_MS, maxLagMs / 2)) {
      // Concurrent reads share one measurement.
      this.measuring ??= this.measure().finally(() => (this.measuring = undefined));
      await this.measuring;
    }
    return this.measured.lagMs + (performance.now() - this.measured.at) <= maxLagMs;
  }

  private async measure(): Promise<void> {
    try {
      const lagMs = await withTimeout(replicaLagMs(this.primary, this.replica), CHECK_TIMEOUT_MS);
      this.measured = { at: performance.now(), lagMs };
      if (this.unusable) log.info({ lagMs }, 'read replica answers again');
      this.unusable = false;
    } catch (error) {
      this.markUnusable(error);
    }
  }

  /** Reads go to the primary until the next measurement; warns once per outage. */
  private markUnusable(error: unknown): void {
    this.measured = { at: performance.now(), lagMs: Infinity };
    if (!this.unusable) log.warn({ err: error }, 'read replica unusable: dashboard reads go to the primary');
    this.unusable = true;
  }
}
