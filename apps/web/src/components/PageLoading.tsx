/** A page whose data (or code) is on its way: one line, nothing to move when it comes. */
export function PageLoading({ label = 'Loading…', title }: { label?: string; title?: string }) {
  return (
    <main className="page" aria-busy="true">
      {title ? <title>{title}</title> : null}
      <p className="muted">{label}</p>
    </main>
  );
}
