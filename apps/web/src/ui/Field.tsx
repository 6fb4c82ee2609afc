import { cloneElement, isValidElement, type ComponentChildren, type VNode } from 'preact';

export interface FieldProps {
  label: ComponentChildren;
  name: string;
  error?: string | null | undefined;
  hint?: ComponentChildren;
  /** The control: its id, name and ARIA attributes are set from the field. */
  children: ComponentChildren;
  class?: string;
}

/** A label, its control, an optional hint and the error for that control (announced, and linked by aria-describedby). */
export function Field({ label, name, error, hint, children, class: className }: FieldProps) {
  const id = `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children as VNode<Record<string, unknown>>, {
        id,
        name: (children as VNode<Record<string, unknown>>).props['name'] ?? name,
        'aria-invalid': error ? 'true' : undefined,
        'aria-describedby': describedBy,
      })
    : children;
  return (
    <div class={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {control}
      {error ? (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
