import type { ReactNode } from 'react';

/**
 * A message region. Errors use role="alert" so they are announced at once;
 * information uses role="status". Rendered empty so screen readers notice
 * when text appears.
 */
export function Notice({ kind, children }: { kind: 'error' | 'info'; children?: ReactNode }) {
  return (
    <div
      role={kind === 'error' ? 'alert' : 'status'}
      className={children ? `notice ${kind}` : 'notice-empty'}
    >
      {children}
    </div>
  );
}
