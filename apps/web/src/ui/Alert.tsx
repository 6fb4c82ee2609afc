import type { ComponentChildren } from 'preact';

export interface AlertProps {
  kind: 'error' | 'info' | 'success';
  children: ComponentChildren;
}

/** A message box; errors are announced at once (role=alert), the rest politely (role=status). */
export function Alert({ kind, children }: AlertProps) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
