'use client';

import type { ReactNode } from 'react';
import { DrilldownDialog, useDrilldownTarget, type DrilldownTarget } from './DrilldownDialog.tsx';
import styles from './Drilldown.module.css';

/**
 * A figure that opens its rows: a button that puts the drill-down in the URL. The page renders
 * one <DrilldownHost org=…/> (or its own DrilldownDialog) to show it.
 */
export function DrilldownLink({ target, children, className, describedBy }: { target: DrilldownTarget; children: ReactNode; className?: string; describedBy?: string }) {
  const [, open] = useDrilldownTarget();
  return (
    <button
      type="button"
      className={className ?? styles.drillLink}
      aria-haspopup="dialog"
      aria-describedby={describedBy}
      title={`Show the rows behind ${target.label}`}
      onClick={() => open(target)}
    >
      {children}
    </button>
  );
}

/** The drill-down dialog of the page, opened by any DrilldownLink or a shared link. */
export function DrilldownHost({ org }: { org: string }) {
  const [target, setTarget] = useDrilldownTarget();
  return <DrilldownDialog org={org} target={target} onClose={() => setTarget(null)} />;
}
