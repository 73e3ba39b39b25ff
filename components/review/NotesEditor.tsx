'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ReviewView } from '@/lib/review/review-schemas.ts';
import { formatInstant } from './format.ts';
import styles from './Review.module.css';
import { reviewKey, saveNotesRequest } from './useReview.ts';

const AUTOSAVE_MS = 800;
type SaveState = { kind: 'saved'; at: string | null } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'error'; message: string };

/**
 * The team-week's notes, saved as people type (after a short pause, on leaving the field, and on
 * leaving the page). The last writer wins; the state line says whether what is on screen is saved.
 */
export function NotesEditor({ org, team, week, initial, timeZone }: { org: string; team: string; week: string; initial: string; timeZone: string }) {
  const client = useQueryClient();
  const id = useId();
  const [text, setText] = useState(initial);
  const [state, setState] = useState<SaveState>({ kind: 'saved', at: null });
  const saved = useRef(initial);
  const latest = useRef(initial);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const inFlight = useRef(false);

  // One save at a time; text typed while one is in flight is saved right after it.
  const save = useCallback(async function run(): Promise<void> {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (inFlight.current) return;
    const notes = latest.current;
    if (notes === saved.current) {
      setState((s) => (s.kind === 'dirty' ? { kind: 'saved', at: null } : s));
      return;
    }
    inFlight.current = true;
    setState({ kind: 'saving' });
    try {
      const res = await saveNotesRequest(org, team, week, notes);
      saved.current = res.notes;
      client.setQueryData<ReviewView>(reviewKey(org, team, week), (r) => r && { ...r, notes: res.notes, notesUpdatedAt: res.updatedAt });
      setState({ kind: 'saved', at: res.updatedAt });
    } catch (error) {
      setState({ kind: 'error', message: (error as Error).message });
      return;
    } finally {
      inFlight.current = false;
    }
    if (latest.current !== saved.current) await run();
  }, [client, org, team, week]);

  // Leaving the page (another week, a reload) with unsaved text: send it anyway.
  useEffect(() => {
    const flush = () => {
      if (latest.current !== saved.current) void saveNotesRequest(org, team, week, latest.current, true).catch(() => {});
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      if (timer.current) clearTimeout(timer.current);
      flush();
    };
  }, [org, team, week]);

  return (
    <section className={`card ${styles.notes}`} aria-labelledby={`${id}-h`}>
      <div className="card-head">
        <h2 id={`${id}-h`}>Notes</h2>
        <div className={styles.saveState} role="status" aria-live="polite" data-testid="notes-state" data-state={state.kind}>
          {state.kind === 'saved' && (state.at ? `Saved at ${formatInstant(state.at, timeZone)}` : 'All changes saved')}
          {state.kind === 'dirty' && 'Unsaved changes…'}
          {state.kind === 'saving' && 'Saving…'}
          {state.kind === 'error' && (
            <>
              <span className="error-text">Not saved: {state.message}</span>
              <button type="button" className="small" onClick={() => void save()}>Retry</button>
            </>
          )}
        </div>
      </div>
      <label htmlFor={`${id}-notes`} className="visually-hidden">Meeting notes</label>
      <textarea
        id={`${id}-notes`}
        value={text}
        placeholder="What the team noticed, decided and will try. Saved as you type."
        onChange={(e) => {
          setText(e.target.value);
          latest.current = e.target.value;
          setState({ kind: 'dirty' });
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
        }}
        onBlur={() => void save()}
      />
      <div className={styles.printOnly}>{text || 'No notes.'}</div>
    </section>
  );
}
