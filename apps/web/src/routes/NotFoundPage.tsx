import { Link } from 'wouter';

export function NotFoundPage() {
  return (
    <main className="auth-page">
      <title>Page not found · Tokenauth</title>
      <section className="card" aria-labelledby="not-found-title">
        <p className="eyebrow">404</p>
        <h1 id="not-found-title">Page not found</h1>
        <p className="subtitle">The page you asked for does not exist or has moved.</p>
        <Link to="/" className="button primary card-action">
          Go home
        </Link>
      </section>
    </main>
  );
}
