import type { ReactNode } from 'react';
import { shownError } from '../api/errors.js';

/** The API's error message and field violations, announced to screen readers. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const { message, fields } = shownError(error);
  return (
    <div role="alert" className="error">
      <p>{message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field + f.description}>
              <code>{f.field}</code>: {f.description}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p aria-live="polite">Loading {what}…</p>;
}

/** A labelled form field: the label wraps the control, so clicking it focuses the control. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** Previous/next for the API's opaque cursors: the tokens of the pages seen are kept on a stack. */
export function Pager(props: { hasPrevious: boolean; nextToken: string; onPrevious(): void; onNext(t: string): void }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        Previous page
      </button>
      <button type="button" disabled={!props.nextToken} onClick={() => props.onNext(props.nextToken)}>
        Next page
      </button>
    </nav>
  );
}
