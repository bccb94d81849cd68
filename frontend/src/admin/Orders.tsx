import { useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMutation, useQuery } from 'urql';
import { Button, Empty, ErrorNotice, Field, Loading, Money } from '../components/ui';
import { formatDate, humanize } from '../lib/format';
import { AdminOrderQuery, AdminOrdersQuery, FulfillmentCreateMutation, FulfillmentShipMutation, OrderCancelMutation, OrderRefundMutation } from '../lib/operations';
import { newKey } from '../lib/store';
import type { OrderStatus } from '../gql/graphql';

const STATUSES: ReadonlyArray<OrderStatus> = ['PENDING', 'PAID', 'PARTIALLY_FULFILLED', 'FULFILLED', 'DELIVERED', 'CANCELLED'];
const ROW_HEIGHT = 44;

/** Orders list: server-side filter and search, pages of 100 fetched as you scroll, rows virtualized. */
export function OrdersPage() {
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [search, setSearch] = useState('');
  const [after, setAfter] = useState<string | null>(null);
  const filter = { status: status || null, search: search.trim() || null };
  const [{ data, fetching, error }] = useQuery({ query: AdminOrdersQuery, variables: { first: 100, after, filter }, requestPolicy: 'cache-and-network' });
  const rows = data?.orders.edges.map((e) => e.node) ?? [];
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Orders</h1>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <label>
          <span className="mb-1 block text-sm font-medium">Status</span>
          <select value={status} onChange={(e) => { setStatus(e.target.value as OrderStatus | ''); setAfter(null); }} className="rounded border border-slate-400 px-2 py-2">
            <option value="">All</option>
            {STATUSES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
          </select>
        </label>
        <div className="w-64"><Field label="Search (number or email)" type="search" value={search} onChange={(e) => { setSearch(e.target.value); setAfter(null); }} /></div>
        <p aria-live="polite" className="mb-3 text-sm">{data ? `${data.orders.totalCount ?? rows.length} orders` : ''}</p>
      </div>
      {fetching && !data ? <Loading /> : null}
      {error && !data ? <ErrorNotice error={error} /> : null}
      {data && rows.length === 0 ? <Empty>No orders match.</Empty> : null}
      {rows.length > 0 ? (
        <div role="table" aria-label="Orders" aria-rowcount={rows.length + 1} className="rounded border border-slate-200">
          <div role="rowgroup">
            <div role="row" className="grid grid-cols-[6rem_1fr_9rem_9rem_8rem_10rem] gap-2 border-b border-slate-300 bg-slate-50 px-3 py-2 text-sm font-semibold">
              <span role="columnheader">Number</span><span role="columnheader">Customer</span><span role="columnheader">Status</span><span role="columnheader">Payment</span><span role="columnheader" className="text-right">Total</span><span role="columnheader">Placed</span>
            </div>
          </div>
          <div ref={parentRef} role="rowgroup" className="h-[60vh] overflow-auto" tabIndex={0} aria-label="Order rows, scroll for more">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const o = rows[item.index];
                return (
                  <div role="row" key={o.id} aria-rowindex={item.index + 2} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }} className="grid grid-cols-[6rem_1fr_9rem_9rem_8rem_10rem] items-center gap-2 border-b border-slate-100 px-3">
                    <span role="cell"><Link to={`/admin/orders/${o.id}`} className="underline">#{o.number}</Link></span>
                    <span role="cell" className="truncate">{o.email}</span>
                    <span role="cell">{humanize(o.status)}</span>
                    <span role="cell">{humanize(o.paymentStatus)}</span>
                    <span role="cell" className="text-right"><Money value={o.total} /></span>
                    <span role="cell" className="text-sm">{formatDate(o.createdAt)}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      ) : null}
      {data?.orders.pageInfo.hasNextPage ? (
        <Button variant="secondary" className="mt-3 rounded border border-slate-500 px-3 py-1" onClick={() => setAfter(data.orders.pageInfo.endCursor ?? null)}>Next 100 orders</Button>
      ) : null}
    </>
  );
}

export function OrderDetailPage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: AdminOrderQuery, variables: { id }, requestPolicy: 'network-only' });
  const [, fulfil] = useMutation(FulfillmentCreateMutation);
  const [, ship] = useMutation(FulfillmentShipMutation);
  const [, cancel] = useMutation(OrderCancelMutation);
  const [, refund] = useMutation(OrderRefundMutation);
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (fetching && !data) return <Loading />;
  if (error && !data) return <ErrorNotice error={error} />;
  const order = data?.order;
  if (!order) return <Empty>Order not found.</Empty>;
  const after = (r: { error?: { message: string }; data?: Record<string, { userErrors: ReadonlyArray<{ message: string }> } | undefined> }) => {
    const payload = r.data ? Object.values(r.data)[0] : undefined;
    setProblem(r.error?.message ?? payload?.userErrors[0]?.message ?? null);
    refetch({ requestPolicy: 'network-only' });
  };
  const onRefund = async (event: FormEvent) => {
    event.preventDefault();
    after(await refund({ orderId: order.id, amount, key: newKey() }));
  };
  const unfulfilled = order.status === 'PAID' || order.status === 'PARTIALLY_FULFILLED';
  return (
    <>
      <p className="mb-2 text-sm"><Link to="/admin/orders" className="underline">← Orders</Link></p>
      <h1 className="mb-2 text-2xl font-bold">Order #{order.number}</h1>
      <p className="mb-4">{humanize(order.status)} · payment {humanize(order.paymentStatus).toLowerCase()} · {order.email} · {formatDate(order.createdAt)}</p>
      {problem ? <ErrorNotice error={problem} title="The action failed" /> : null}
      <div className="mb-4 flex flex-wrap gap-3">
        {unfulfilled ? <Button onClick={async () => after(await fulfil({ orderId: order.id }))}>Create fulfillment</Button> : null}
        {order.fulfillments.filter((f) => f.status === 'ALLOCATED' || f.status === 'PICKED').map((f) => (
          <Button key={f.id} variant="secondary" onClick={async () => after(await ship({ orderId: order.id, fulfillmentId: f.id }))}>Ship fulfillment</Button>
        ))}
        {order.canCancel ? <Button variant="danger" onClick={async () => after(await cancel({ orderId: order.id }))}>Cancel order</Button> : null}
      </div>
      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="lines-heading">
          <h2 id="lines-heading" className="mb-2 text-lg font-semibold">Items</h2>
          <ul className="mb-3">{order.lines.map((l) => <li key={l.sku}>{l.quantity} × {l.name} ({l.sku}) — <Money value={l.total} /></li>)}</ul>
          <p>Total <Money value={order.total} /> · paid <Money value={order.paid} /> · refunded <Money value={order.refunded} /></p>
          <p className="mt-2 text-sm">Ship to {order.shippingAddress.firstName} {order.shippingAddress.lastName}, {order.shippingAddress.address1}, {order.shippingAddress.postalCode} {order.shippingAddress.city}, {order.shippingAddress.countryCode} · {order.shippingMethodName}</p>
          <h2 className="mt-4 mb-2 text-lg font-semibold">Fulfillments</h2>
          {order.fulfillments.length === 0 ? <Empty>None yet.</Empty> : (
            <ul>{order.fulfillments.map((f) => <li key={f.id}>{humanize(f.status)}{f.trackingNumber ? ` · ${f.carrier ?? ''} ${f.trackingNumber}` : ''}</li>)}</ul>
          )}
          {Number(order.paid.amount) > Number(order.refunded.amount) ? (
            <form onSubmit={onRefund} className="mt-4 max-w-xs">
              <Field label={`Refund amount (${order.paid.currencyCode})`} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
              <Button type="submit" variant="secondary">Refund</Button>
            </form>
          ) : null}
        </section>
        <section aria-labelledby="history-heading">
          <h2 id="history-heading" className="mb-2 text-lg font-semibold">Audit trail</h2>
          <ol className="space-y-1 text-sm">
            {order.history.map((h) => <li key={h.version}><time dateTime={h.at}>{formatDate(h.at)}</time> · {h.type} · {h.actor}</li>)}
          </ol>
        </section>
      </div>
    </>
  );
}
