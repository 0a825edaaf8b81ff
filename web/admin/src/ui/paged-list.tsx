import type { ReactNode } from 'react';
import { ErrorBox, Loading, Pager } from './common.js';
import type { Cursor } from './use-cursor.js';

/** What PagedList needs of a connect-query result; any list response with a next page token fits. */
interface PagedQuery<D extends { nextPageToken: string }> {
  isPending: boolean;
  error: unknown;
  data?: D;
}

/**
 * One page of a cursor-paged list with its loading line, error and pager.
 * `error` replaces the list's own when a page also reports a mutation's failure in the same place;
 * `status` sits between the error and the page so a mutation's outcome reads next to the error it might replace.
 */
export function PagedList<D extends { nextPageToken: string }>(props: {
  list: PagedQuery<D>;
  what: string;
  cursor: Cursor;
  error?: unknown;
  status?: ReactNode;
  children(data: D): ReactNode;
}) {
  const { list, cursor } = props;
  return (
    <>
      {list.isPending && <Loading what={props.what} />}
      <ErrorBox error={props.error ?? list.error} />
      {props.status}
      {list.data && (
        <>
          {props.children(list.data)}
          <Pager
            hasPrevious={cursor.hasPrevious}
            nextToken={list.data.nextPageToken}
            onPrevious={cursor.previous}
            onNext={cursor.next}
          />
        </>
      )}
    </>
  );
}
