// A data table with a caption and column headers; cells are rendered by each column (text is escaped by Preact).
import type { ComponentChildren } from "preact";
import { html } from "../html.ts";

export interface Column<Row> {
  label: string;
  cell: (row: Row) => ComponentChildren;
  /** Right-aligned figures. */
  numeric?: boolean;
}

export interface TableProps<Row> {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  /** Shown instead of the rows when there are none. */
  empty: string;
  rowKey: (row: Row) => string;
}

export function Table<Row>({ caption, columns, rows, empty, rowKey }: TableProps<Row>) {
  return html`
    <div class="table-wrap">
      <table>
        <caption>${caption}</caption>
        <thead>
          <tr>${columns.map((c) => html`<th scope="col" class=${c.numeric ? "num" : undefined}>${c.label}</th>`)}</tr>
        </thead>
        <tbody>
          ${rows.length === 0
            ? html`<tr><td class="empty" colspan=${columns.length}>${empty}</td></tr>`
            : rows.map((row) => html`<tr key=${rowKey(row)}>${columns.map((c) => html`<td class=${c.numeric ? "num" : undefined}>${c.cell(row)}</td>`)}</tr>`)}
        </tbody>
      </table>
    </div>
  `;
}
