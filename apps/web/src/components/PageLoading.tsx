export function PageLoading() {
  return (
    <main className="page" aria-busy="true">
      <p className="muted">Loading…</p>
    </main>
  );
}
