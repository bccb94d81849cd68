import { Link, NavLink, Outlet } from 'react-router';
import { SearchBox } from '../components/SearchBox';
import { useSession } from '../lib/store';
import { useCart } from './cart';

export function StoreLayout() {
  const signedIn = useSession((s) => s.accessToken !== null);
  const { cart } = useCart();
  const count = cart?.totalQuantity ?? 0;
  const link = ({ isActive }: { isActive: boolean }) => `px-2 py-1 underline-offset-4 hover:underline ${isActive ? 'font-semibold underline' : ''}`;
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
          <Link to="/" className="text-xl font-bold text-blue-800">
            Agora
          </Link>
          <SearchBox />
          <nav aria-label="Account and cart" className="ml-auto flex items-center gap-1">
            <NavLink to="/account" className={link}>
              {signedIn ? 'Account' : 'Sign in'}
            </NavLink>
            <NavLink to="/cart" className={link}>
              Cart{count > 0 ? ` (${count})` : ''}
            </NavLink>
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 py-4 text-center text-sm text-slate-700">
        Agora demo shop · <Link to="/admin" className="underline">Staff admin</Link>
      </footer>
    </div>
  );
}
