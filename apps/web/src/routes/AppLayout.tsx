import { Outlet } from 'react-router-dom';
import { Brand } from '../components/Brand.tsx';

export function AppLayout() {
  return (
    <div className="shell">
      <header className="topbar">
        <Brand />
      </header>
      <Outlet />
    </div>
  );
}
