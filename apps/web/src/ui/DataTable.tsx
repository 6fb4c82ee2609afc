import type { ComponentChildren } from 'preact';
import { formatNumber } from '../format.js';
import { useLocale } from '../i18n.js';

export interface Column {
  key: string;
  label: string;
  align?: 'left' | 'right' | 'center';
  /** How a cell shows (the raw value still goes to CSV). */
  format?: (value: unknown, row: Record<string, unknown>) => ComponentChildren;
}

export interface DataTableProps {
  caption: ComponentChildren;
  columns: readonly Column[];
  rows: readonly Record<string, unknown>[];
  /** Show the caption only to screen readers (when a heading right above already says it). */
  captionHidden?: boolean;
  /** The column whose cells head their rows (`th scope="row"`); the first by default. */
  rowHeader?: string;
  empty?: ComponentChildren;
}

/** The numbers of a chart, or any list, as an accessible table. */
export function DataTable({ caption, columns, rows, captionHidden, rowHeader, empty }: DataTableProps) {
  const locale = useLocale();
  const headerKey = rowHeader ?? columns[0]?.key;
  const show = (c: Column, row: Record<string, unknown>): ComponentChildren => {
    const v = row[c.key];
    if (c.format) return c.format(v, row);
    if (typeof v === 'number') return formatNumber(v, locale);
    if (v === null || v === undefined) return '—';
    return v as ComponentChildren;
  };
  return (
    <div class="table-wrap">
      <table class="data-table">
        <caption class={captionHidden ? 'sr-only' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" class={`align-${c.align ?? 'left'}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && empty !== undefined ? (
            <tr>
              <td colSpan={columns.length} class="empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c) =>
                  c.key === headerKey ? (
                    <th key={c.key} scope="row" class={`align-${c.align ?? 'left'}`}>
                      {show(c, row)}
                    </th>
                  ) : (
                    <td key={c.key} class={`align-${c.align ?? 'left'}`}>
                      {show(c, row)}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
