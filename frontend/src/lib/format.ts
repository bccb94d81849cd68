export interface MoneyLike {
  amount: string;
  currencyCode: string;
}

export function formatMoney(money: MoneyLike | null | undefined, locale = 'en-US'): string {
  if (!money) return '—';
  const value = Number(money.amount);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currencyCode }).format(value);
  } catch {
    return `${money.amount} ${money.currencyCode}`;
  }
}

export function formatDate(iso: string | null | undefined, locale = 'en-US'): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A GraphQL userErrors list as a field → message map (for per-field form errors). */
export function fieldErrors(
  errors: ReadonlyArray<{ field?: ReadonlyArray<string> | null; message: string }> | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    const key = e.field && e.field.length ? e.field[e.field.length - 1] : '_';
    out[key] ??= e.message;
  }
  return out;
}

export function humanize(value: string): string {
  const text = value.replace(/_/g, ' ').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
