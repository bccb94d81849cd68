import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { Empty, ErrorNotice, Loading, Money } from '../components/ui';
import { formatMoney } from '../lib/format';
import { AdminOrdersQuery, ModerationQueueSubscription, OrderActivitySubscription, StockAlertsSubscription } from '../lib/operations';
import { useCan } from './Layout';

export interface FeedItem {
  key: string;
  at: Date;
  kind: 'order' | 'payment' | 'review' | 'stock';
  text: string;
  href?: string;
}

const ORDER_EVENT_TEXT: Record<string, string> = {
  OrderPlaced: 'New order',
  OrderPaid: 'Payment captured for order',
  OrderCancelled: 'Order cancelled',
  OrderShipped: 'Order shipped',
  OrderDelivered: 'Order delivered',
  RefundRequested: 'Refund requested for order',
};

/** Orders, revenue and average order value per day, from the most recent orders. */
export function summarize(orders: ReadonlyArray<{ status: string; createdAt: string; total: { amount: string; currencyCode: string } }>) {
  const counted = orders.filter((o) => o.status !== 'CANCELLED' && o.status !== 'PENDING');
  const revenue = counted.reduce((sum, o) => sum + Number(o.total.amount), 0);
  const currency = orders[0]?.total.currencyCode ?? 'EUR';
  const byDay = new Map<string, number>();
  for (const o of counted) {
    const day = o.createdAt.slice(0, 10);
    byDay.set(day, (byDay.get(day) ?? 0) + Number(o.total.amount));
  }
  const days = [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).slice(-14);
  return {
    orders: counted.length,
    revenue: { amount: revenue.toFixed(2), currencyCode: currency },
    aov: { amount: (counted.length ? revenue / counted.length : 0).toFixed(2), currencyCode: currency },
    days,
  };
}

function RevenueChart({ days, currency }: { days: ReadonlyArray<[string, number]>; currency: string }) {
  if (days.length === 0) return <Empty>No paid orders yet.</Empty>;
  const max = Math.max(...days.map(([, v]) => v), 1);
  const width = 40 * days.length;
  return (
    <figure>
      <svg viewBox={`0 0 ${width} 120`} role="img" aria-labelledby="revenue-title" className="h-40 w-full max-w-2xl">
        <title id="revenue-title">Revenue per day over the last {days.length} days with orders</title>
        {days.map(([day, value], i) => {
          const h = Math.max(2, (value / max) * 100);
          return (
            <g key={day}>
              <rect x={i * 40 + 6} y={105 - h} width={28} height={h} className="fill-blue-700" />
              <text x={i * 40 + 20} y={118} textAnchor="middle" fontSize="8" className="fill-slate-800">{day.slice(5)}</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="sr-only">
        {days.map(([day, value]) => `${day}: ${formatMoney({ amount: value.toFixed(2), currencyCode: currency })}`).join('; ')}
      </figcaption>
    </figure>
  );
}

export function LiveFeed() {
  const canOrders = useCan('MANAGE_ORDERS');
  const canReviews = useCan('MANAGE_REVIEWS');
  const canStock = useCan('MANAGE_INVENTORY');
  const [items, setItems] = useState<FeedItem[]>([]);
  const push = (item: FeedItem) => setItems((current) => [item, ...current].slice(0, 50));
  const [orders] = useSubscription({ query: OrderActivitySubscription, pause: !canOrders });
  const [reviews] = useSubscription({ query: ModerationQueueSubscription, pause: !canReviews });
  const [stock] = useSubscription({ query: StockAlertsSubscription, pause: !canStock });
  useEffect(() => {
    const a = stock.data?.stockAlerts;
    if (!a) return;
    const what = a.variant.product ? `${a.variant.product.name} (${a.variant.sku})` : a.variant.sku;
    const text = a.type === 'StockLow' ? `Low stock: ${what} — ${a.available} left` : `Back in stock: ${what} — ${a.available} available`;
    push({ key: `${a.type}-${a.variantId}-${Date.now()}`, at: new Date(), kind: 'stock', text, href: '/admin/products' });
  }, [stock.data]);
  useEffect(() => {
    const a = orders.data?.orderActivity;
    if (!a) return;
    const money = a.amount && a.currency ? ` · ${formatMoney({ amount: a.amount, currencyCode: a.currency })}` : '';
    push({ key: `${a.type}-${a.orderId}-${Date.now()}`, at: new Date(), kind: a.type.startsWith('Order') ? 'order' : 'payment', text: `${ORDER_EVENT_TEXT[a.type] ?? a.type} #${a.number ?? ''}${money}`, href: `/admin/orders/${a.orderId}` });
  }, [orders.data]);
  useEffect(() => {
    const r = reviews.data?.reviewModerationQueue;
    if (!r) return;
    push({ key: `review-${r.id}`, at: new Date(), kind: 'review', text: `Review awaiting moderation: “${r.title}” (${r.rating}★) on ${r.product.name}`, href: '/admin/reviews' });
  }, [reviews.data]);
  return (
    <section aria-labelledby="feed-heading" className="rounded border border-slate-200 p-4">
      <h2 id="feed-heading" className="mb-2 text-lg font-semibold">Live activity</h2>
      {orders.error || reviews.error || stock.error ? <ErrorNotice title="The live feed is disconnected" error={(orders.error ?? reviews.error ?? stock.error)?.message} /> : null}
      <ol aria-live="polite" aria-label="Live activity" className="space-y-1">
        {items.length === 0 ? <li className="text-slate-700">Waiting for new orders, payments, stock alerts and reviews…</li> : null}
        {items.map((item) => (
          <li key={item.key} data-kind={item.kind}>
            <time className="mr-2 text-sm text-slate-700" dateTime={item.at.toISOString()}>{item.at.toLocaleTimeString()}</time>
            {item.href ? <Link to={item.href} className="underline">{item.text}</Link> : item.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function Dashboard() {
  const canOrders = useCan('MANAGE_ORDERS');
  const [{ data, fetching, error }] = useQuery({ query: AdminOrdersQuery, variables: { first: 100 }, pause: !canOrders });
  const summary = summarize(data?.orders.edges.map((e) => e.node) ?? []);
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Dashboard</h1>
      {canOrders ? (
        <section aria-labelledby="kpi-heading" className="mb-6">
          <h2 id="kpi-heading" className="sr-only">Key figures (last 100 orders)</h2>
          {fetching && !data ? <Loading /> : null}
          {error && !data ? <ErrorNotice error={error} title="Sales figures are unavailable right now" /> : null}
          {data ? (
            <>
              <dl className="mb-4 grid grid-cols-1 gap-4 sm:grid-cols-3">
                <div className="rounded border border-slate-200 p-3"><dt className="text-sm text-slate-700">Orders (paid, recent)</dt><dd className="text-2xl font-bold">{summary.orders}</dd></div>
                <div className="rounded border border-slate-200 p-3"><dt className="text-sm text-slate-700">Revenue</dt><dd className="text-2xl font-bold"><Money value={summary.revenue} /></dd></div>
                <div className="rounded border border-slate-200 p-3"><dt className="text-sm text-slate-700">Average order value</dt><dd className="text-2xl font-bold"><Money value={summary.aov} /></dd></div>
              </dl>
              <RevenueChart days={summary.days} currency={summary.revenue.currencyCode} />
            </>
          ) : null}
        </section>
      ) : null}
      <LiveFeed />
    </>
  );
}
