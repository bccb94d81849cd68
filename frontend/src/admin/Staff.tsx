import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Button, Empty, ErrorNotice, Field, Loading } from '../components/ui';
import { MfaConfirmMutation, MfaStartMutation, PermissionGroupsQuery } from '../lib/operations';
import { useCan } from './Layout';

/** Permission groups and their members (MANAGE_STAFF), and the signed-in staff member's MFA enrolment. */
export function StaffPage() {
  const canStaff = useCan('MANAGE_STAFF');
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Staff and security</h1>
      {canStaff ? <Groups /> : null}
      <MfaEnrolment />
    </>
  );
}

function Groups() {
  const [{ data, fetching, error }] = useQuery({ query: PermissionGroupsQuery });
  return (
    <section aria-labelledby="groups-heading" className="mb-6">
      <h2 id="groups-heading" className="mb-2 text-lg font-semibold">Permission groups</h2>
      {fetching && !data ? <Loading /> : null}
      {error && !data ? <ErrorNotice error={error} /> : null}
      {data && data.permissionGroups.length === 0 ? <Empty>No groups.</Empty> : null}
      <ul className="space-y-2">
        {data?.permissionGroups.map((g) => (
          <li key={g.id} className="rounded border border-slate-200 p-3">
            <p className="font-semibold">{g.name}</p>
            <p className="text-sm">Permissions: {g.permissions.join(', ') || 'none'}</p>
            <p className="text-sm">Members: {g.members.map((m) => m.email).join(', ') || 'none'}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function MfaEnrolment() {
  const [, start] = useMutation(MfaStartMutation);
  const [, confirm] = useMutation(MfaConfirmMutation);
  const [secret, setSecret] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<ReadonlyArray<string> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const begin = async () => {
    const r = await start({});
    const p = r.data?.accountMfaEnrollStart;
    setProblem(r.error?.message ?? p?.userErrors[0]?.message ?? null);
    if (p?.secret && p.otpauthUri) setSecret({ secret: p.secret, uri: p.otpauthUri });
  };
  const finish = async (event: FormEvent) => {
    event.preventDefault();
    const r = await confirm({ code });
    const p = r.data?.accountMfaEnrollConfirm;
    setProblem(r.error?.message ?? p?.userErrors[0]?.message ?? null);
    if (p?.recoveryCodes) setCodes(p.recoveryCodes);
  };
  return (
    <section aria-labelledby="mfa-heading">
      <h2 id="mfa-heading" className="mb-2 text-lg font-semibold">Two-factor authentication</h2>
      {problem ? <ErrorNotice error={problem} /> : null}
      {codes ? (
        <div role="status">
          <p>Two-factor authentication is on. Keep these recovery codes somewhere safe:</p>
          <ul className="font-mono">{codes.map((c) => <li key={c}>{c}</li>)}</ul>
        </div>
      ) : secret ? (
        <form onSubmit={finish} className="max-w-sm">
          <p className="mb-2">Add this key to your authenticator app: <code className="break-all">{secret.secret}</code></p>
          <p className="mb-2 text-sm"><a className="underline" href={secret.uri}>Open in an authenticator app</a></p>
          <Field label="Code from the app" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
          <Button type="submit">Turn on</Button>
        </form>
      ) : (
        <Button variant="secondary" onClick={begin}>Set up an authenticator app</Button>
      )}
    </section>
  );
}
