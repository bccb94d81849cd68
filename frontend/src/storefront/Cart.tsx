import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { Button, Empty, ErrorNotice, Field, Loading, Money } from '../components/ui';
import { CartDiscountMutation, CartLinesUpdateMutation } from '../lib/operations';
import { newKey } from '../lib/store';
import { useCart } from './cart';

export function CartPage() {
  const { cartId, cart, fetching, error } = useCart();
  const [, update] = useMutation(CartLinesUpdateMutation);
  const [, discount] = useMutation(CartDiscountMutation);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  if (!cartId) return <Empty>Your cart is empty. <Link to="/" className="underline">Continue shopping</Link></Empty>;
  if (fetching && !cart) return <Loading />;
  if (error && !cart) return <ErrorNotice error={error} title="Your cart is unavailable right now" />;
  if (!cart || cart.lines.length === 0)
    return <Empty>Your cart is empty. <Link to="/" className="underline">Continue shopping</Link></Empty>;

  const setQuantity = async (lineId: string, quantity: number) => {
    const r = await update({ cartId: cart.id, lines: [{ id: lineId, quantity }], key: newKey() });
    setProblem(r.data?.cartLinesUpdate.userErrors[0]?.message ?? r.error?.message ?? null);
  };
  const applyCode = async (event: FormEvent) => {
    event.preventDefault();
    const codes = [...cart.discountCodes.map((d) => d.code), code.trim()].filter(Boolean);
    const r = await discount({ cartId: cart.id, codes });
    const payload = r.data?.cartDiscountCodesUpdate;
    const rejected = payload?.cart?.discountCodes.find((d) => d.code.toUpperCase() === code.trim().toUpperCase() && !d.applicable);
    setProblem(payload?.userErrors[0]?.message ?? (rejected ? `The code ${rejected.code} does not apply to this cart.` : null) ?? r.error?.message ?? null);
    if (!problem) setCode('');
  };
  const problems = new Map(cart.problems.map((p) => [p.lineId, p.message]));
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Your cart</h1>
      {problem ? <ErrorNotice error={problem} title="Please check your cart" /> : null}
      <table className="mb-4 w-full text-left">
        <caption className="sr-only">Items in your cart</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2">Product</th>
            <th scope="col">Price</th>
            <th scope="col">Quantity</th>
            <th scope="col" className="text-right">Total</th>
          </tr>
        </thead>
        <tbody>
          {cart.lines.map((line) => (
            <tr key={line.id} className="border-b border-slate-200 align-top">
              <td className="py-2">
                <Link to={`/products/${line.merchandise.product?.slug ?? ''}`} className="underline">{line.name}</Link>
                <span className="block text-sm text-slate-700">SKU {line.sku}</span>
                {problems.has(line.id) ? <span role="alert" className="block text-sm text-red-700">{problems.get(line.id)}</span> : null}
              </td>
              <td><Money value={line.unitPrice} /></td>
              <td>
                <label className="sr-only" htmlFor={`qty-${line.id}`}>Quantity of {line.name}</label>
                <input id={`qty-${line.id}`} type="number" min={0} max={99} defaultValue={line.quantity} onBlur={(e) => { const q = Number(e.target.value); if (q !== line.quantity) void setQuantity(line.id, q); }} className="w-16 rounded border border-slate-400 px-2 py-1" />
                <button type="button" onClick={() => setQuantity(line.id, 0)} className="ml-2 text-sm underline">Remove</button>
              </td>
              <td className="text-right"><Money value={line.totalPrice} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="grid gap-6 md:grid-cols-2">
        <form onSubmit={applyCode} className="max-w-sm">
          <Field label="Promo code" value={code} onChange={(e) => setCode(e.target.value)} />
          <Button type="submit" variant="secondary">Apply</Button>
          {cart.discountCodes.filter((d) => d.applicable).map((d) => <p key={d.code} className="mt-2 text-green-800">Code {d.code} applied</p>)}
        </form>
        <Totals cost={cart.cost} />
      </div>
      <div className="mt-6 text-right">
        <Link to="/checkout" className="inline-block rounded bg-blue-700 px-6 py-3 font-semibold text-white hover:bg-blue-800">Check out</Link>
      </div>
    </>
  );
}

type Amount = { amount: string; currencyCode: string };
export function Totals({ cost }: { cost: { subtotalAmount: Amount; shippingAmount: Amount; taxAmount: Amount; discountAmount: Amount; totalAmount: Amount } }) {
  return (
    <dl className="grid grid-cols-2 gap-1 md:ml-auto md:w-72">
      <dt>Subtotal</dt><dd className="text-right"><Money value={cost.subtotalAmount} /></dd>
      {Number(cost.discountAmount.amount) > 0 ? (<><dt>Discount</dt><dd className="text-right">−<Money value={cost.discountAmount} /></dd></>) : null}
      <dt>Shipping</dt><dd className="text-right"><Money value={cost.shippingAmount} /></dd>
      <dt>Tax</dt><dd className="text-right"><Money value={cost.taxAmount} /></dd>
      <dt className="font-bold">Total</dt><dd className="text-right font-bold"><Money value={cost.totalAmount} /></dd>
    </dl>
  );
}
