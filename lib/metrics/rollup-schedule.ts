import { env } from '../env.ts';
import { log } from '../log.ts';
import { refreshRollups } from './rollups.ts';

/**
 * Runs refreshRollups every THROUGHLINE_ROLLUP_INTERVAL_MS, one run at a time, in the worker.
 * Returns the function that stops it.
 */
export function scheduleRollupRefresh(): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshRollups()
      .then(({ orgs, weeks }) => orgs && log.debug({ orgs, weeks }, 'rollups refreshed'))
      .catch((error: unknown) => log.error({ err: error }, 'rollup refresh failed'))
      .finally(() => (running = false));
  }, env().THROUGHLINE_ROLLUP_INTERVAL_MS).unref();
  return () => clearInterval(timer);
}
