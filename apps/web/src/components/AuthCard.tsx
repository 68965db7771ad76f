import type { ReactNode } from 'react';

/** The centred card the login and signup pages sit in. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <main className="auth-page">
      <title>{`${title} · Tokenauth`}</title>
      <section className="card" aria-labelledby="auth-title">
        <h1 id="auth-title">{title}</h1>
        <p className="subtitle">{subtitle}</p>
        {children}
      </section>
      <p className="card-footer">{footer}</p>
    </main>
  );
}
