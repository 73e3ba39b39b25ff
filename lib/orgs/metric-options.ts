import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';
import { METRICS_VERSION } from '../metrics/schemas.ts';
import type { MetricOptions, MetricOptionsAnswer } from './metric-options-schemas.ts';

// The org's metric options. The time zone (week boundaries) and where cycle time starts change
// every week's figures: the trigger tl_stale on Organization drops the org's RollupState in the
// same transaction, so reads compute live at once and the rollup worker rebuilds the org whole
// (lib/metrics/rollups.ts). The distortion threshold is not part of any rollup: the distortion
// warning reads it at request time (lib/metrics/distortion.ts).

export async function getMetricOptions({ orgId }: { orgId: string }): Promise<MetricOptionsAnswer> {
  const org = await db().organization.findUniqueOrThrow({ where: { id: orgId }, select: { cycleTimeStart: true, timeZone: true, distortionThreshold: true, rollupState: true } });
  const state = org.rollupState;
  return {
    options: { cycleTimeStart: org.cycleTimeStart, timeZone: org.timeZone, distortionThreshold: org.distortionThreshold },
    rollupsCurrent: state?.metricsVersion === METRICS_VERSION && !state.rebuiltThrough,
    rollupsBuiltAt: state ? state.builtAt.toISOString() : null,
  };
}

/** Whether PostgreSQL, which places instants in weeks (AT TIME ZONE), knows the zone too. */
async function databaseKnowsZone(timeZone: string): Promise<boolean> {
  const [row] = await db().$queryRaw<{ known: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = ${timeZone}) AS known`;
  return row!.known;
}

export async function setMetricOptions({ orgId, options, actorUserId }: { orgId: string; options: MetricOptions; actorUserId: string | null }): Promise<MetricOptionsAnswer> {
  const before = (await getMetricOptions({ orgId })).options;
  if (options.timeZone !== before.timeZone && !(await databaseKnowsZone(options.timeZone))) {
    throw new AppError('bad_request', `timeZone: '${options.timeZone}' is not a time zone the database knows`);
  }
  const changed: Prisma.InputJsonObject = Object.fromEntries(
    (Object.keys(options) as (keyof MetricOptions)[]).filter((k) => options[k] !== before[k]).map((k) => [k, { from: before[k], to: options[k] }]),
  );
  if (Object.keys(changed).length) {
    await db().organization.update({ where: { id: orgId }, data: options });
    await recordAudit({ orgId, actorUserId, action: 'org.metric_options_set', target: `org:${orgId}`, detail: changed });
  }
  return getMetricOptions({ orgId });
}
