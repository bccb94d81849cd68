import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Button, Empty, ErrorNotice, Field, Loading } from '../components/ui';
import { fieldErrors } from '../lib/format';
import {
  CheckoutAddressMutation,
  CheckoutCompleteMutation,
  CheckoutEmailMutation,
  CheckoutShippingMutation,
  PaymentGatewaysQuery,
} from '../lib/operations';
import { newKey, useSession } from '../lib/store';
import { Totals } from './Cart';
import { useCart } from './cart';

/** The payment simulator's documented test tokens (subgraphs/payments/README.md). */
export const TEST_CARDS: ReadonlyArray<[string, string]> = [
  ['tok_success', 'Test card — approved'],
  ['tok_decline', 'Test card — declined'],
  ['tok_insufficient_funds', 'Test card — insufficient funds'],
  ['tok_3ds_required', 'Test card — asks for 3-D Secure'],
];

const ADDRESS_FIELDS: ReadonlyArray<[string, string, string]> = [
  ['firstName', 'First name', 'given-name'],
  ['lastName', 'Last name', 'family-name'],
  ['address1', 'Street address', 'address-line1'],
  ['city', 'City', 'address-level2'],
  ['postalCode', 'Postal code', 'postal-code'],
  ['countryCode', 'Country code (e.g. DE)', 'country'],
];

export function CheckoutPage() {
  const { cart, cartId, fetching } = useCart();
  const setCartId = useSession((s) => s.setCartId);
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [address, setAddress] = useState<Record<string, string>>({ countryCode: 'DE' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [card, setCard] = useState('tok_success');
  const [chosen, setChosen] = useState<string | null>(null);
  const attemptKey = useRef<string | null>(null);
  const [{ data: gateways }] = useQuery({ query: PaymentGatewaysQuery });
  const [, saveEmail] = useMutation(CheckoutEmailMutation);
  const [, saveAddress] = useMutation(CheckoutAddressMutation);
  const [, chooseShipping] = useMutation(CheckoutShippingMutation);
  const [{ fetching: placing }, complete] = useMutation(CheckoutCompleteMutation);

  if (!cartId) return <Empty>Your cart is empty. <Link to="/" className="underline">Continue shopping</Link></Empty>;
  if (fetching && !cart) return <Loading />;
  if (!cart || cart.lines.length === 0) return <Empty>Your cart is empty.</Empty>;

  const onAddress = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found: Record<string, string> = {};
    const r1 = await saveEmail({ cartId: cart.id, email: email.trim() || cart.buyerIdentity.email || '' });
    Object.assign(found, fieldErrors(r1.data?.checkoutEmailUpdate.userErrors));
    const r2 = await saveAddress({ cartId: cart.id, address: { ...address, countryCode: (address.countryCode ?? '').toUpperCase() } });
    Object.assign(found, fieldErrors(r2.data?.checkoutShippingAddressUpdate.userErrors));
    if (r1.error || r2.error) found._ = (r1.error ?? r2.error)?.message ?? '';
    setErrors(found);
  };
  const onPlace = async () => {
    setFailure(null);
    attemptKey.current ??= newKey();
    const gateway = gateways?.paymentGateways.some((g) => g.name === 'simulator') ? 'simulator' : (gateways?.paymentGateways[0]?.name ?? 'simulator');
    const r = await complete({ input: { cartId: cart.id, idempotencyKey: attemptKey.current, payment: { gateway, token: card } } });
    if (r.error) {
      // Network or server trouble: keep the key, so pressing the button again cannot order twice.
      setFailure(r.error.message);
      return;
    }
    const payload = r.data?.checkoutComplete;
    const order = payload?.checkout?.order;
    if (payload?.checkout && order) {
      setCartId(null);
      const token = payload.checkout.orderToken ? `?token=${encodeURIComponent(payload.checkout.orderToken)}` : '';
      navigate(`/orders/${order.id}${token}`, { state: { justPlaced: true } });
      return;
    }
    attemptKey.current = null;
    if (payload?.stockShortages.length) setFailure('Some items are no longer available in the quantity you asked for. Please update your cart.');
    else setFailure(payload?.userErrors.map((e) => e.message).join(' ') || 'The order could not be placed.');
  };

  const addressSaved = cart.shippingAddress !== null && cart.deliveryOptions.length > 0;
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Checkout</h1>
      <div className="grid gap-8 md:grid-cols-[1fr_18rem]">
        <div>
          <form onSubmit={onAddress} aria-labelledby="shipping-heading" noValidate>
            <h2 id="shipping-heading" className="mb-2 text-xl font-semibold">1. Contact and shipping address</h2>
            <Field label="Email" type="email" autoComplete="email" value={email || cart.buyerIdentity.email || ''} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
            <div className="grid gap-x-4 sm:grid-cols-2">
              {ADDRESS_FIELDS.map(([name, label, autoComplete]) => (
                <Field key={name} label={label} autoComplete={autoComplete} value={address[name] ?? cart.shippingAddress?.[name as 'city'] ?? ''} onChange={(e) => setAddress({ ...address, [name]: e.target.value })} error={errors[name]} />
              ))}
            </div>
            {errors._ || errors.shippingAddress ? <ErrorNotice error={errors._ ?? errors.shippingAddress} /> : null}
            <Button type="submit" variant="secondary">Save address</Button>
          </form>
          <section aria-labelledby="delivery-heading" className="mt-6">
            <h2 id="delivery-heading" className="mb-2 text-xl font-semibold">2. Delivery</h2>
            {addressSaved ? (
              <fieldset>
                <legend className="sr-only">Shipping method</legend>
                {cart.deliveryOptions.map((option) => (
                  <label key={option.id} className="block">
                    <input type="radio" name="delivery" className="mr-2" checked={(chosen ?? cart.selectedDeliveryOption?.id) === option.id} onChange={() => { setChosen(option.id); void chooseShipping({ cartId: cart.id, methodId: option.id }); }} />
                    {option.title} — {new Intl.NumberFormat('en-US', { style: 'currency', currency: option.amount.currencyCode }).format(Number(option.amount.amount))}
                  </label>
                ))}
              </fieldset>
            ) : (
              <p className="text-slate-700">Save your address to see the shipping methods.</p>
            )}
          </section>
          <section aria-labelledby="payment-heading" className="mt-6">
            <h2 id="payment-heading" className="mb-2 text-xl font-semibold">3. Payment</h2>
            <label className="block">
              <span className="mb-1 block text-sm font-medium">Card</span>
              <select value={card} onChange={(e) => setCard(e.target.value)} className="rounded border border-slate-400 px-2 py-2">
                {TEST_CARDS.map(([token, label]) => <option key={token} value={token}>{label}</option>)}
              </select>
            </label>
            <p className="mt-1 text-sm text-slate-700">Payments run through the payment simulator in this demo; no real card is charged.</p>
          </section>
          <div aria-live="assertive">{failure ? <ErrorNotice error={failure} title="The order was not placed" /> : null}</div>
          <Button onClick={onPlace} disabled={placing || !cart.selectedDeliveryOption} className="mt-6 rounded bg-blue-700 px-6 py-3 font-semibold text-white disabled:opacity-60">
            {placing ? 'Placing order…' : 'Place order'}
          </Button>
        </div>
        <aside aria-labelledby="summary-heading">
          <h2 id="summary-heading" className="mb-2 text-xl font-semibold">Order summary</h2>
          <ul className="mb-3 text-sm">
            {cart.lines.map((l) => <li key={l.id}>{l.quantity} × {l.name}</li>)}
          </ul>
          <Totals cost={cart.cost} />
        </aside>
      </div>
    </>
  );
}
