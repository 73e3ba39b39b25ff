'use client';

import { useEffect } from 'react';
import { DrilldownDialog, useDrilldownTarget, type DrilldownTarget } from '@/components/drilldown/DrilldownDialog.tsx';

/**
 * The drill-down dialog of the team page and the URL state that opens it. Loaded after the page
 * (the dialog and its schemas are not needed for the first paint); hands the page its opener.
 */
export default function DrilldownHost({ org, onReady }: { org: string; onReady: (open: (t: DrilldownTarget) => void) => void }) {
  const [target, setTarget] = useDrilldownTarget();
  useEffect(() => onReady(setTarget), [onReady, setTarget]);
  return <DrilldownDialog org={org} target={target} onClose={() => setTarget(null)} />;
}
