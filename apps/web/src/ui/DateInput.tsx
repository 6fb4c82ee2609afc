
export interface DateInputProps {
  /** YYYY-MM-DD, or '' when empty. */
  value: string;
  onChange: (value: string) => void;
  min?: string;
  max?: string;
  id?: string;
  name?: string;
  class?: string;
  required?: boolean;
  disabled?: boolean;
  'aria-label'?: string;
  'aria-invalid'?: 'true' | 'false';
  'aria-describedby'?: string;
}

/** A calendar-day control; it reports only complete days (YYYY-MM-DD) or ''. */
export function DateInput({ value, onChange, class: className, ...rest }: DateInputProps) {
  return (
    <input
      {...rest}
      type="date"
      class={`input input-date${className ? ` ${className}` : ''}`}
      value={value}
      onChange={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
    />
  );
}
