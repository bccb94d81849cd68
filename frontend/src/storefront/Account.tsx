import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Button, Empty, ErrorNotice, Field, Loading, Money } from '../components/ui';
import { fieldErrors, formatDate, humanize } from '../lib/format';
import { AccountDeleteMutation, DataExportMutation, MeQuery, PasswordResetMutation, RegisterMutation, TokenCreateMutation } from '../lib/operations';
import { newKey, useSession } from '../lib/store';

/** Email + password sign-in; asks for the authenticator code when the account has MFA. */
export function SignInForm({ onSignedIn, heading = 'Sign in' }: { onSignedIn: () => void; heading?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needsOtp, setNeedsOtp] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [{ fetching }, tokenCreate] = useMutation(TokenCreateMutation);
  const signIn = useSession((s) => s.signIn);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const r = await tokenCreate({ input: { email, password, otp: needsOtp ? otp : null } });
    const payload = r.data?.tokenCreate;
    if (payload?.accessToken) {
      signIn(payload.accessToken, payload.refreshToken ?? null);
      onSignedIn();
      return;
    }
    const codes = payload?.userErrors.map((e) => e.code) ?? [];
    if (codes.includes('MFA_REQUIRED')) {
      setNeedsOtp(true);
      setErrors({});
      return;
    }
    const errs = fieldErrors(payload?.userErrors);
    setErrors(r.error ? { _: r.error.message } : { _: errs._ ?? Object.values(errs)[0] ?? 'Sign-in failed', ...errs });
  };
  return (
    <form onSubmit={submit} className="max-w-sm" aria-labelledby="signin-heading">
      <h1 id="signin-heading" className="mb-4 text-2xl font-bold">{heading}</h1>
      <Field label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      <Field label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      {needsOtp ? (
        <Field label="Authenticator code" inputMode="numeric" autoComplete="one-time-code" value={otp} onChange={(e) => setOtp(e.target.value)} error={errors.otp} required />
      ) : null}
      {errors._ ? <ErrorNotice error={errors._} title="Could not sign in" /> : null}
      <Button type="submit" disabled={fetching}>Sign in</Button>
    </form>
  );
}

export function LoginPage() {
  const navigate = useNavigate();
  return (
    <div className="grid gap-8 md:grid-cols-2">
      <div>
        <SignInForm onSignedIn={() => navigate('/account')} />
        <p className="mt-3"><Link to="/account/reset" className="underline">Forgot your password?</Link></p>
      </div>
      <div>
        <h2 className="mb-2 text-xl font-semibold">New here?</h2>
        <Link to="/account/register" className="underline">Create an account</Link>
      </div>
    </div>
  );
}

export function RegisterPage() {
  const [form, setForm] = useState({ email: '', password: '', firstName: '', lastName: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const [{ fetching }, register] = useMutation(RegisterMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const r = await register({ input: form, key: newKey() });
    const errs = r.error ? { _: r.error.message } : fieldErrors(r.data?.accountRegister.userErrors);
    setErrors(errs);
    setDone(Object.keys(errs).length === 0);
  };
  if (done) return <p role="status">Your account is ready. <Link to="/account" className="underline">Sign in</Link></p>;
  const set = (name: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [name]: e.target.value });
  return (
    <form onSubmit={submit} className="max-w-sm" noValidate>
      <h1 className="mb-4 text-2xl font-bold">Create an account</h1>
      <Field label="First name" autoComplete="given-name" value={form.firstName} onChange={set('firstName')} error={errors.firstName} />
      <Field label="Last name" autoComplete="family-name" value={form.lastName} onChange={set('lastName')} error={errors.lastName} />
      <Field label="Email" type="email" autoComplete="email" value={form.email} onChange={set('email')} error={errors.email} />
      <Field label="Password (at least 8 characters)" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} error={errors.password} />
      {errors._ ? <ErrorNotice error={errors._} /> : null}
      <Button type="submit" disabled={fetching}>Create account</Button>
    </form>
  );
}

export function PasswordResetPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, request] = useMutation(PasswordResetMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const r = await request({ input: { email } });
    const first = r.data?.requestPasswordReset.userErrors[0];
    setError(r.error?.message ?? first?.message ?? null);
    setSent(!r.error && !first);
  };
  if (sent) return <p role="status">If an account exists for {email}, we sent a link to reset its password.</p>;
  return (
    <form onSubmit={submit} className="max-w-sm">
      <h1 className="mb-4 text-2xl font-bold">Reset your password</h1>
      <Field label="Email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      {error ? <ErrorNotice error={error} /> : null}
      <Button type="submit">Send reset link</Button>
    </form>
  );
}

export function AccountPage() {
  const signedIn = useSession((s) => s.accessToken !== null);
  const signOut = useSession((s) => s.signOut);
  const [{ data, fetching, error }] = useQuery({ query: MeQuery, pause: !signedIn, requestPolicy: 'network-only' });
  const [exportResult, exportData] = useMutation(DataExportMutation);
  const [, deleteAccount] = useMutation(AccountDeleteMutation);
  const [password, setPassword] = useState('');
  const [deleteError, setDeleteError] = useState<string | null>(null);
  if (!signedIn) return <LoginPage />;
  if (fetching && !data) return <Loading />;
  if (error && !data) return <ErrorNotice error={error} />;
  const me = data?.me;
  if (!me) return <ErrorNotice error="Your session has ended. Please sign in again." />;
  const orders = me.orders?.edges.map((e) => e.node) ?? [];
  const onDelete = async (event: FormEvent) => {
    event.preventDefault();
    const r = await deleteAccount({ password });
    const first = r.data?.accountDelete.userErrors[0];
    if (r.error || first) setDeleteError(r.error?.message ?? first?.message ?? null);
    else signOut();
  };
  const exported = exportResult.data?.myDataExport.dataExport;
  return (
    <>
      <div className="mb-4 flex items-center">
        <h1 className="text-2xl font-bold">Hello {me.firstName || me.email}</h1>
        <Button variant="secondary" onClick={signOut} className="ml-auto rounded border border-slate-500 px-3 py-1">Sign out</Button>
      </div>
      <section aria-labelledby="orders-heading" className="mb-6">
        <h2 id="orders-heading" className="mb-2 text-xl font-semibold">Your orders</h2>
        {orders.length === 0 ? <Empty>No orders yet.</Empty> : (
          <ul className="space-y-2">
            {orders.map((o) => (
              <li key={o.id} className="rounded border border-slate-200 p-2">
                <Link to={`/orders/${o.id}`} className="font-medium underline">Order #{o.number}</Link> · {formatDate(o.createdAt)} · {humanize(o.status)} · <Money value={o.total} />
                {o.fulfillments.filter((f) => f.trackingNumber).map((f) => (
                  <span key={f.id} className="block text-sm">Tracking: {f.trackingUrl ? <a className="underline" href={f.trackingUrl}>{f.trackingNumber}</a> : f.trackingNumber}</span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="addresses-heading" className="mb-6">
        <h2 id="addresses-heading" className="mb-2 text-xl font-semibold">Addresses</h2>
        {me.addresses.length === 0 ? <Empty>No saved addresses.</Empty> : (
          <ul>{me.addresses.map((a) => <li key={a.id}>{a.firstName} {a.lastName}, {a.street1}, {a.postalCode} {a.city}, {a.countryCode}</li>)}</ul>
        )}
      </section>
      <section aria-labelledby="privacy-heading" className="mb-6">
        <h2 id="privacy-heading" className="mb-2 text-xl font-semibold">Your data</h2>
        <Button variant="secondary" onClick={() => exportData({ key: newKey() })}>Export my data</Button>
        {exported ? (
          <p role="status" className="mt-2">
            Export {humanize(exported.status).toLowerCase()}.{' '}
            {exported.document ? (
              <a className="underline" download="agora-data-export.json" href={`data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(exported.document, null, 2))}`}>Download it</a>
            ) : null}
          </p>
        ) : null}
        <form onSubmit={onDelete} className="mt-4 max-w-sm">
          <h3 className="font-semibold">Delete my account</h3>
          <Field label="Confirm with your password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={deleteError ?? undefined} />
          <Button type="submit" variant="danger">Delete account</Button>
        </form>
      </section>
    </>
  );
}
