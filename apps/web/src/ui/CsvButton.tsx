import { toCsv, type CsvColumn, type CsvRow } from '../csv.js';
import { useT } from '../i18n.js';

export interface CsvButtonProps {
  filename: string;
  columns: readonly CsvColumn[];
  rows: readonly Record<string, unknown>[];
  label?: string;
}

/** Downloads the rows as a CSV file built in the browser (UTF-8 with BOM, so spreadsheets read accents). */
export function CsvButton({ filename, columns, rows, label }: CsvButtonProps) {
  const t = useT();
  const download = () => {
    const csv = toCsv(columns, rows as readonly CsvRow[]);
    const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename.endsWith('.csv') ? filename : `${filename}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <button type="button" class="button button-small button-quiet" onClick={download} disabled={rows.length === 0}>
      <svg aria-hidden="true" width="14" height="14" viewBox="0 0 16 16">
        <path d="M8 1v9m0 0 3.5-3.5M8 10 4.5 6.5M2 12v2h12v-2" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
      {label ?? t('ui.csv')}
    </button>
  );
}
