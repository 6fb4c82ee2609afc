export { Alert, type AlertProps } from './Alert.js';
export { CsvButton, type CsvButtonProps } from './CsvButton.js';
export { DataTable, type Column, type DataTableProps } from './DataTable.js';
export { DateInput, type DateInputProps } from './DateInput.js';
export { Field, type FieldProps } from './Field.js';
export { Provenance, type ProvenanceProps } from './Provenance.js';
export { Skeleton } from './Skeleton.js';
