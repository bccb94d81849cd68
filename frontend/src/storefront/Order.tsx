import { useEffect, useRef, useState } from 'react';
import { useLocation, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Button, Empty, ErrorNotice, Loading, Money } from '../components/ui';
import { formatDate, humanize } from '../lib/format';
import { OrderQuery, PaymentConfirmMutation } from '../lib/operations';

/** How long a just-placed order may take to appear: the orders service records it from the checkout's
 * event, a moment after checkoutComplete answered. */
export const NEW_ORDER_GRACE_MS = 30_000;

/** Order confirmation and status (guests see it with the order's token from the link). */
export function OrderPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token');
  const [{ data, fetching, error }, refetch] = useQuery({ query: OrderQuery, variables: { id, token }, requestPolicy: 'network-only' });
  const order = data?.order;
  const justPlaced = (useLocation().state as { justPlaced?: boolean } | null)?.justPlaced === true;
  const arrived = useRef(Date.now());
  const appearing = justPlaced && !order && !error && Date.now() - arrived.current < NEW_ORDER_GRACE_MS;
  const settling = order?.status === 'PENDING' || appearing;
  const [, confirm] = useMutation(PaymentConfirmMutation);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const onConfirm = async () => {
    const r = await confirm({ orderId: id, token });
    setConfirmError(r.error?.message ?? r.data?.paymentConfirm.userErrors[0]?.message ?? null);
    refetch({ requestPolicy: 'network-only' });
  };
  useEffect(() => {
    if (!settling) return;
    const handle = setInterval(() => refetch({ requestPolicy: 'network-only' }), 1000);
    return () => clearInterval(handle);
  }, [settling, refetch]);
  if ((fetching && !data) || appearing) return <Loading label="Thank you! We are recording your order…" />;
  if (error && !data) return <ErrorNotice error={error} />;
  if (!order) return <Empty>We could not find this order.</Empty>;
  return (
    <>
      <h1 className="mb-2 text-2xl font-bold">Order #{order.number}</h1>
      <p aria-live="polite" className="mb-4">
        {order.status === 'PENDING' ? 'Thank you! We are confirming your payment…' : null}
        {order.status === 'CANCELLED' ? `This order was cancelled${order.paymentFailure ? `: ${order.paymentFailure.message}` : ''}.` : null}
        {order.status !== 'PENDING' && order.status !== 'CANCELLED' ? `Thank you! Your order is ${humanize(order.status).toLowerCase()}.` : null}
      </p>
      {order.paymentStatus === 'ACTION_REQUIRED' ? (
        <section aria-labelledby="verify-heading" className="mb-4 rounded border border-amber-400 bg-amber-50 p-3">
          <h2 id="verify-heading" className="font-semibold">Your bank asks you to confirm this payment</h2>
          {order.paymentAction?.url ? (
            <p><a className="underline" href={order.paymentAction.url}>Open your bank's verification page</a>, then come back here.</p>
          ) : (
            <p>This demo's payment simulator stands in for your bank's 3-D Secure check.</p>
          )}
          {confirmError ? <ErrorNotice error={confirmError} title="The payment was not confirmed" /> : null}
          <Button onClick={onConfirm} className="mt-2 rounded bg-blue-700 px-4 py-2 text-white">I have confirmed the payment</Button>
        </section>
      ) : null}
      <dl className="mb-4 grid max-w-md grid-cols-2 gap-1">
        <dt>Status</dt><dd data-testid="order-status">{humanize(order.status)}</dd>
        <dt>Payment</dt><dd>{humanize(order.paymentStatus)}</dd>
        <dt>Placed</dt><dd>{formatDate(order.createdAt)}</dd>
        <dt>Email</dt><dd>{order.email}</dd>
        <dt>Shipping</dt><dd>{order.shippingMethodName}</dd>
      </dl>
      <h2 className="mb-2 text-xl font-semibold">Items</h2>
      <ul className="mb-4">
        {order.lines.map((l) => <li key={l.sku}>{l.quantity} × {l.name} — <Money value={l.total} /></li>)}
      </ul>
      <dl className="grid max-w-xs grid-cols-2 gap-1">
        <dt>Subtotal</dt><dd className="text-right"><Money value={order.subtotal} /></dd>
        <dt>Shipping</dt><dd className="text-right"><Money value={order.shipping} /></dd>
        <dt>Tax</dt><dd className="text-right"><Money value={order.tax} /></dd>
        <dt className="font-bold">Total</dt><dd className="text-right font-bold"><Money value={order.total} /></dd>
      </dl>
      {order.fulfillments.length > 0 ? (
        <>
          <h2 className="mt-4 mb-2 text-xl font-semibold">Shipments</h2>
          <ul>
            {order.fulfillments.map((f) => (
              <li key={f.id}>
                {humanize(f.status)}
                {f.trackingNumber ? <> · {f.trackingUrl ? <a href={f.trackingUrl} className="underline">Track {f.trackingNumber}</a> : f.trackingNumber}</> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
