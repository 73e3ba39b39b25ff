'use client';

/** A settings page that failed to load: what happened and a Retry. */
export default function SettingsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main>
      <h1>Settings could not load</h1>
      <p className="banner error" role="alert">
        Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ''}. Your settings are unchanged.
      </p>
      <p>
        <button type="button" className="button" onClick={() => reset()}>Retry</button>
      </p>
    </main>
  );
}
