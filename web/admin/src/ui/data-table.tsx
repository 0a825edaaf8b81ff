import type { ReactNode } from 'react';

/**
 * A table of rows under column headers, scrolling sideways on its own on narrow screens.
 * Headers are nodes, not strings, so a column can carry a visually hidden name (e.g. "Actions").
 */
export function DataTable(props: { columns: ReactNode[]; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
        {props.footer && <tfoot>{props.footer}</tfoot>}
      </table>
    </div>
  );
}
