import { Component, useId, type ErrorInfo, type InputHTMLAttributes, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { formatMoney, type MoneyLike } from '../lib/format';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" aria-live="polite" className="py-6 text-slate-600">
      {label}
    </p>
  );
}

export function ErrorNotice({ error, title = 'Something went wrong' }: { error?: CombinedError | Error | string; title?: string }) {
  const message = (typeof error === 'string' ? error : error?.message)?.replace(/^\[(GraphQL|Network)\] /, '');
  return (
    <div role="alert" className="my-4 rounded border border-red-300 bg-red-50 p-3 text-red-800">
      <p className="font-semibold">{title}</p>
      {message ? <p className="text-sm">{message}</p> : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="py-6 text-slate-600">{children}</p>;
}

export function Money({ value }: { value: MoneyLike | null | undefined }) {
  return <span>{formatMoney(value)}</span>;
}

export function Stars({ average, count }: { average: number | string; count?: number }) {
  const value = Number(average);
  const label = `${value.toFixed(1)} out of 5 stars${count !== undefined ? `, ${count} reviews` : ''}`;
  return (
    <span role="img" className="text-amber-800" aria-label={label} title={label}>
      <span aria-hidden="true">{'★'.repeat(Math.round(value)).padEnd(5, '☆')}</span>
      {count !== undefined ? <span className="ml-1 text-sm text-slate-700" aria-hidden="true">({count})</span> : null}
    </span>
  );
}

export function Field({
  label,
  error,
  ...input
}: { label: string; error?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="mb-3">
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className="w-full rounded border border-slate-400 px-3 py-2 focus:outline-2 focus:outline-blue-700"
        {...input}
      />
      {error ? (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Button({
  children,
  variant = 'primary',
  ...props
}: { variant?: 'primary' | 'secondary' | 'danger' } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  const styles = {
    primary: 'bg-blue-700 text-white hover:bg-blue-800',
    secondary: 'border border-slate-500 bg-white text-slate-900 hover:bg-slate-100',
    danger: 'bg-red-700 text-white hover:bg-red-800',
  }[variant];
  return (
    <button
      type="button"
      className={`rounded px-4 py-2 font-medium disabled:opacity-60 focus:outline-2 focus:outline-offset-2 focus:outline-blue-700 ${styles}`}
      {...props}
    >
      {children}
    </button>
  );
}

/** Keeps a failing part of a page (reviews, recommendations …) from taking the whole page down. */
export class Section extends Component<{ title: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`section "${this.props.title}" failed`, error, info.componentStack);
  }
  render() {
    if (this.state.failed) return <ErrorNotice title={`${this.props.title} are unavailable right now`} />;
    return this.props.children;
  }
}
