'use client';

import { useId, useState } from 'react';
import { DISTORTION_MAX, DISTORTION_MIN, type MetricOptions, type MetricOptionsAnswer } from '@/lib/orgs/metric-options-schemas.ts';
import styles from './MetricOptionsPanel.module.css';
import { useSettingsMutation } from './useSettingsMutation.ts';

export interface ZoneOption {
  name: string;
  /** "Europe/Berlin (UTC+01:00)". */
  label: string;
}

const growth = (ratio: number) => `${ratio >= 1 ? '+' : ''}${Math.round((ratio - 1) * 100)}%`;

/** Cycle-time start, the org time zone and the distortion threshold, saved together. */
export function MetricOptionsPanel({ org, initial, zones }: { org: string; initial: MetricOptionsAnswer; zones: ZoneOption[] }) {
  const save = useSettingsMutation<MetricOptionsAnswer>(org);
  const [answer, setAnswer] = useState(initial);
  const [cycleTimeStart, setCycleTimeStart] = useState(initial.options.cycleTimeStart);
  const [timeZone, setTimeZone] = useState(initial.options.timeZone);
  const [threshold, setThreshold] = useState(String(initial.options.distortionThreshold));
  const [zoneFilter, setZoneFilter] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const id = useId();
  const f = zoneFilter.trim().toLowerCase().replace(/\s+/g, '_');
  const shownZones = zones.filter((z) => z.name === timeZone || !f || z.label.toLowerCase().includes(f) || z.name.toLowerCase().includes(f));
  const ratio = Number(threshold);
  const saved = answer.options;
  const dirty = cycleTimeStart !== saved.cycleTimeStart || timeZone !== saved.timeZone || ratio !== saved.distortionThreshold;

  return (
    <section className="card" aria-labelledby="metric-options">
      <h2 id="metric-options">Metric options</h2>
      <p className="muted">How every team&apos;s weekly figures are computed (docs/metrics.md). They apply to all weeks, past ones included.</p>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          setNotice(null);
          // Not a number: sent as typed, so the answer names the field.
          const body: Omit<MetricOptions, 'distortionThreshold'> & { distortionThreshold: number | string } = { cycleTimeStart, timeZone, distortionThreshold: threshold.trim() !== '' && Number.isFinite(ratio) ? ratio : threshold };
          save.mutate(
            { path: 'metric-options', method: 'PUT', body },
            {
              onSuccess: (r) => {
                const rebuild = r.options.timeZone !== saved.timeZone || r.options.cycleTimeStart !== saved.cycleTimeStart;
                setAnswer(r);
                setNotice(rebuild ? 'Saved. The weekly rollups are being rebuilt with the new options; until then dashboards compute each week live (slower, same figures).' : 'Saved.');
              },
            },
          );
        }}
      >
        <fieldset className={styles.fieldset}>
          <legend>Ticket-to-merge cycle time starts</legend>
          <label className={styles.radio}>
            <input type="radio" name="cycleTimeStart" value="in_progress" checked={cycleTimeStart === 'in_progress'} onChange={() => setCycleTimeStart('in_progress')} />
            <span><strong>When work starts</strong>: the ticket&apos;s first move to an in-progress status. Leaves out time spent waiting in the backlog.</span>
          </label>
          <label className={styles.radio}>
            <input type="radio" name="cycleTimeStart" value="created" checked={cycleTimeStart === 'created'} onChange={() => setCycleTimeStart('created')} />
            <span><strong>When the ticket is created</strong>: includes backlog time; use it if your teams do not move tickets to in progress.</span>
          </label>
        </fieldset>

        <fieldset className={styles.fieldset}>
          <legend>Time zone</legend>
          <p className="muted">Weeks run Monday 00:00 to Sunday 24:00 in this zone; membership days are read in it too.</p>
          <div className={styles.zone}>
            <div className={styles.field}>
              <label htmlFor={`${id}-zone-search`}>Search time zones</label>
              <input id={`${id}-zone-search`} type="search" value={zoneFilter} onChange={(e) => setZoneFilter(e.target.value)} placeholder="City or region, e.g. Berlin" />
            </div>
            <div className={styles.field}>
              <label htmlFor={`${id}-zone`}>Time zone</label>
              <select id={`${id}-zone`} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
                {shownZones.map((z) => <option key={z.name} value={z.name}>{z.label}</option>)}
              </select>
            </div>
          </div>
          <p className="muted" aria-live="polite">{f ? `${shownZones.length} of ${zones.length} time zones match.` : `${zones.length} time zones.`}</p>
        </fieldset>

        <fieldset className={styles.fieldset}>
          <legend>Distortion warning</legend>
          <label className={styles.field}>
            Warn when AI generation grows by (ratio over 4 weeks)
            <input
              type="number"
              inputMode="decimal"
              step="0.05"
              min={DISTORTION_MIN}
              max={DISTORTION_MAX}
              value={threshold}
              onChange={(e) => setThreshold(e.target.value)}
              aria-describedby="threshold-hint"
              className={styles.number}
            />
          </label>
          <p className="muted" id="threshold-hint">
            {Number.isFinite(ratio) && threshold.trim() !== '' ? `${ratio} = ${growth(ratio)}: ` : ''}the warning shows when the last 4 weeks generated that much
            more than the 4 before while cycle time, review time and first-run CI did not improve. Between {DISTORTION_MIN} and {DISTORTION_MAX}.
          </p>
        </fieldset>

        <div className={styles.actions}>
          <button className="button" type="submit" disabled={save.isPending || !dirty}>{save.isPending ? 'Saving…' : 'Save metric options'}</button>
          {!dirty && !notice && <span className="muted-inline">No unsaved changes.</span>}
        </div>
      </form>
      {notice && <p className="banner" role="status">{notice}</p>}
      {save.error && <p className="banner error" role="alert">{save.error.message}</p>}
      <p className="muted" data-testid="rollup-state">
        Weekly rollups: {answer.rollupsCurrent ? `current${answer.rollupsBuiltAt ? `, brought up to date ${answer.rollupsBuiltAt.replace('T', ' ').slice(0, 16)} UTC` : ''}.` : 'being rebuilt; figures are computed live meanwhile.'}
      </p>
    </section>
  );
}
