import { createContext, useContext } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { useQuery } from 'urql';
import { Button, ErrorNotice, Loading } from '../components/ui';
import { MeStaffQuery } from '../lib/operations';
import { useSession } from '../lib/store';
import { SignInForm } from '../storefront/Account';

export const PermissionsContext = createContext<ReadonlySet<string>>(new Set());

/** True when the signed-in staff member holds `permission`. */
export function useCan(permission: string): boolean {
  return useContext(PermissionsContext).has(permission);
}

const SECTIONS: ReadonlyArray<[string, string, string | null]> = [
  ['/admin', 'Dashboard', null],
  ['/admin/orders', 'Orders', 'MANAGE_ORDERS'],
  ['/admin/products', 'Products', 'MANAGE_PRODUCTS'],
  ['/admin/reviews', 'Reviews', 'MANAGE_REVIEWS'],
  ['/admin/staff', 'Staff & security', null],
];

export function AdminLayout() {
  const signedIn = useSession((s) => s.accessToken !== null);
  const signOut = useSession((s) => s.signOut);
  const [{ data, fetching, error }, refetch] = useQuery({ query: MeStaffQuery, pause: !signedIn, requestPolicy: 'network-only' });

  let content;
  if (!signedIn) {
    content = <SignInForm heading="Staff sign in" onSignedIn={() => refetch({ requestPolicy: 'network-only' })} />;
  } else if (fetching && !data) {
    content = <Loading />;
  } else if (error && !data) {
    content = <ErrorNotice error={error} />;
  } else if (!data?.meStaff) {
    content = (
      <>
        <ErrorNotice error="This account is not a staff account." title="No access" />
        <Button variant="secondary" onClick={signOut}>Sign out</Button>
      </>
    );
  }
  const staff = data?.meStaff;
  const permissions = new Set(staff?.permissions ?? []);
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#admin-main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">Skip to content</a>
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-3">
          <Link to="/admin" className="text-lg font-bold">Agora admin</Link>
          {staff ? (
            <nav aria-label="Admin sections" className="flex flex-wrap gap-3">
              {SECTIONS.filter(([, , p]) => p === null || permissions.has(p)).map(([to, label]) => (
                <NavLink key={to} to={to} end className={({ isActive }) => `underline-offset-4 hover:underline ${isActive ? 'font-semibold underline' : ''}`}>{label}</NavLink>
              ))}
            </nav>
          ) : null}
          <div className="ml-auto flex items-center gap-3 text-sm">
            {staff ? <span>{staff.staff.email}{staff.mfa ? '' : ' · MFA not enrolled'}</span> : null}
            {signedIn ? <button type="button" onClick={signOut} className="underline">Sign out</button> : null}
            <Link to="/" className="underline">Storefront</Link>
          </div>
        </div>
      </header>
      <main id="admin-main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
        {content ?? (
          <PermissionsContext.Provider value={permissions}>
            <Outlet />
          </PermissionsContext.Provider>
        )}
      </main>
    </div>
  );
}

export function RequirePermission({ permission, children }: { permission: string; children: React.ReactNode }) {
  const can = useCan(permission);
  if (!can) return <ErrorNotice title="No access" error={`This page needs the ${permission} permission.`} />;
  return <>{children}</>;
}
