import { NavLink, Outlet } from 'react-router-dom';
import { useToken } from '../auth/session.ts';
import { Brand } from '../components/Brand.tsx';

export function AppLayout() {
  const signedIn = useToken() !== null;
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
      <Outlet />
    </div>
  );
}
