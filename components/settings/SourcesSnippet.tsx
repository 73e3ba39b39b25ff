'use client';

import { useId } from 'react';
import type { Snippet } from '@/lib/settings/sources-snippets.ts';
import { CopyButton } from './CopyButton.tsx';

/** A titled block of text to paste somewhere, with a copy button. */
export function SourcesSnippet({ snippet }: { snippet: Snippet }) {
  const id = useId();
  return (
    <figure className="snippet" aria-labelledby={id}>
      <figcaption>
        <strong id={id}>{snippet.title}</strong> <CopyButton value={snippet.text} label={`Copy ${snippet.title}`} />
        <span className="muted">{snippet.note}</span>
      </figcaption>
      <pre tabIndex={0}><code>{snippet.text}</code></pre>
    </figure>
  );
}
