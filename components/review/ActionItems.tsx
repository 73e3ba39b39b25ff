'use client';

import { useId, useState } from 'react';
import type { ActionItemView } from '@/lib/review/review-schemas.ts';
import { shortIso } from './format.ts';
import styles from './Review.module.css';
import type { useReviewMutations } from './useReview.ts';

type Mutations = ReturnType<typeof useReviewMutations>;

function ItemList({ items, mutations, testId, canDelete }: { items: ActionItemView[]; mutations: Mutations; testId: string; canDelete: boolean }) {
  const busy = (id: string) => mutations.remove.isPending && mutations.remove.variables === id;
  // The query cache tells its observers on a later tick, so a box drawn from it alone would spring back for a moment
  // after the click; this state answers the click in the same render and gives way when the cached items change
  // (the optimistic patch, or its undoing on failure).
  const [ticking, setTicking] = useState<Record<string, boolean>>({});
  const [drawn, setDrawn] = useState(items);
  if (drawn !== items) {
    setDrawn(items);
    setTicking({});
  }
  const tick = (id: string, done: boolean) => {
    setTicking((t) => ({ ...t, [id]: done }));
    mutations.setDone.mutate({ id, done });
  };
  return (
    <ul className={styles.items} data-testid={testId}>
      {items.map((item) => {
        const done = ticking[item.id] ?? item.done;
        return (
        <li key={item.id}>
          <label>
            <input type="checkbox" checked={done} disabled={busy(item.id)} onChange={(e) => tick(item.id, e.target.checked)} />
            <span className={done ? styles.done : undefined}>{item.text}</span>
          </label>
          {canDelete && (
            <button type="button" className="small" disabled={busy(item.id)} aria-label={`Delete action item: ${item.text}`} onClick={() => mutations.remove.mutate(item.id)}>
              Delete
            </button>
          )}
        </li>
        );
      })}
    </ul>
  );
}

/** This week's action items (add, tick, delete) and the previous week's still open, to tick off in the meeting. */
export function ActionItems({ items, previous, previousWeek, mutations }: { items: ActionItemView[]; previous: ActionItemView[]; previousWeek: string; mutations: Mutations }) {
  const id = useId();
  const [text, setText] = useState('');
  const error = mutations.add.error ?? mutations.setDone.error ?? mutations.remove.error;
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Action items</h2>
      {items.length === 0 && <p className={styles.itemsEmpty}>None yet. Add what the team agreed to do this week; next week’s review lists the open ones.</p>}
      <ItemList items={items} mutations={mutations} testId="action-items" canDelete />
      <form
        className={styles.addForm}
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          mutations.add.mutate(text, { onSuccess: () => setText('') });
        }}
      >
        <label htmlFor={`${id}-new`} className="visually-hidden">New action item</label>
        <input id={`${id}-new`} value={text} onChange={(e) => setText(e.target.value)} maxLength={300} placeholder="New action item, e.g. Pair on reviews older than a day" />
        <button type="submit" className="button" disabled={mutations.add.isPending || !text.trim()}>Add</button>
      </form>
      {error && <p className="banner error" role="alert">{error.message}</p>}

      <h3 id={`${id}-prev`} className={styles.subhead}>Previous week’s action items</h3>
      <p className="muted">From the review of the week of {shortIso(previousWeek)}: open when this week began, or ticked off since.</p>
      {previous.length === 0 ? (
        <p className={styles.itemsEmpty} data-testid="previous-action-items-empty">Nothing left open from the previous week.</p>
      ) : (
        <ItemList items={previous} mutations={mutations} testId="previous-action-items" canDelete={false} />
      )}
    </section>
  );
}
