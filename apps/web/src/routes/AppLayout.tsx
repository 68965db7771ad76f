import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useSignedIn } from '../auth/session.ts';
import { Brand } from '../components/Brand.tsx';

export function AppLayout({ children }: { children: ReactNode }) {
  const signedIn = useSignedIn();
  return (
    <div className="shell">
      <header className="topbar">
        <Brand />
        {signedIn ? (
          <nav aria-label="Main" className="nav">
            <NavLink to="/dashboard">Dashboard</NavLink>
            <NavLink to="/settings">Settings</NavLink>
          </nav>
        ) : null}
      </header>
      {children}
    </div>
  );
}

/** A navigation link that tells assistive technology when it is the current page. */
function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const [location] = useLocation();
  return (
    <Link to={to} aria-current={location === to ? 'page' : undefined}>
      {children}
    </Link>
  );
}
