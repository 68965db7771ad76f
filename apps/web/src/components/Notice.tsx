import type { ReactNode } from 'react';

/**
 * A message region. Errors use role="alert" so they are announced at once;
 * information uses role="status". Rendered empty so screen readers notice
 * when text appears. An error can take focus (a refused form sends it there).
 */
export function Notice({ kind, children }: { kind: 'error' | 'info'; children?: ReactNode }) {
  return (
    <div
      role={kind === 'error' ? 'alert' : 'status'}
      tabIndex={kind === 'error' && children ? -1 : undefined}
      className={children ? `notice ${kind}` : 'notice-empty'}
    >
      {children}
    </div>
  );
}
