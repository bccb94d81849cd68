import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cart, money, renderAt } from '../test/render';
import { useSession } from '../lib/store';

const addressed = () => cart({
  buyerIdentity: { email: 'ada@example.com' },
  shippingAddress: { firstName: 'Ada', lastName: 'L', address1: 'Street 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE', provinceCode: '' },
  deliveryOptions: [{ id: 'S1', title: 'Standard', amount: money('4.90') }, { id: 'S2', title: 'Express', amount: money('9.90') }],
});

describe('cart page', () => {
  it('is empty without a cart', async () => {
    renderAt('/cart', {});
    expect(await screen.findByText(/Your cart is empty/)).toBeInTheDocument();
  });
  it('lists lines, problems and totals; changes quantities and applies a promo code', async () => {
    let codes: string[] = [];
    const { called } = renderAt('/cart', {
      CartPage: () => ({ cart: cart({ problems: [{ code: 'PRICE_CHANGED', lineId: 'L1', message: 'The price changed to €10.00' }], discountCodes: codes.map((code) => ({ code, applicable: code === 'WELCOME10' })) }) }),
      CartLinesUpdate: ({ lines }) => ({ cartLinesUpdate: { cart: cart(), userErrors: (lines as Array<{ quantity: number }>)[0].quantity > 99 ? [{ field: ['lines'], message: 'At most 99', code: 'MAXIMUM_QUANTITY_EXCEEDED' }] : [] } }),
      CartDiscount: ({ codes: next }) => {
        codes = next as string[];
        return { cartDiscountCodesUpdate: { cart: cart({ discountCodes: codes.map((code) => ({ code, applicable: code === 'WELCOME10' })) }), userErrors: [] } };
      },
    }, { cartId: 'C1' });
    expect(await screen.findByRole('link', { name: 'Tee / S' })).toHaveAttribute('href', '/products/tee');
    expect(screen.getByRole('alert')).toHaveTextContent('The price changed to €10.00');
    expect(screen.getByText('€26.70')).toBeInTheDocument();
    const qty = screen.getByLabelText('Quantity of Tee / S');
    fireEvent.change(qty, { target: { value: '150' } });
    fireEvent.blur(qty);
    expect(await screen.findByText('At most 99')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(called('CartLinesUpdate').at(-1)?.variables.lines).toEqual([{ id: 'L1', quantity: 0 }]));
    await userEvent.type(screen.getByLabelText('Promo code'), 'WELCOME10');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('Code WELCOME10 applied')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Promo code'), 'BOGUS');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('The code BOGUS does not apply to this cart.')).toBeInTheDocument();
  });
  it('shows an error when the cart cannot be read', async () => {
    renderAt('/cart', { CartPage: () => new Error('checkout down') }, { cartId: 'C1' });
    expect(await screen.findByText('Your cart is unavailable right now')).toBeInTheDocument();
  });
});

describe('checkout', () => {
  it('shows address errors per field', async () => {
    renderAt('/checkout', {
      CartPage: () => ({ cart: cart() }),
      PaymentGateways: () => ({ paymentGateways: [{ name: 'simulator', publishableKey: null }] }),
      CheckoutEmail: () => ({ checkoutEmailUpdate: { cart: cart(), userErrors: [{ field: ['email'], message: 'Enter a valid email', code: 'INVALID_EMAIL' }] } }),
      CheckoutAddress: () => ({ checkoutShippingAddressUpdate: { cart: cart(), userErrors: [{ field: ['shippingAddress', 'postalCode'], message: 'Not a German postal code', code: 'INVALID_POSTAL_CODE' }] } }),
    }, { cartId: 'C1' });
    await userEvent.type(await screen.findByLabelText('Email'), 'nope');
    await userEvent.type(screen.getByLabelText('Postal code'), '1');
    await userEvent.click(screen.getByRole('button', { name: 'Save address' }));
    expect(await screen.findByText('Not a German postal code')).toBeInTheDocument();
    expect(screen.getByText('Enter a valid email')).toBeInTheDocument();
    expect(screen.getByLabelText('Postal code')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Save your address to see the shipping methods.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Place order' })).toBeDisabled();
  });
  it('places the order with one idempotency key per attempt and opens the confirmation', async () => {
    let attempt = 0;
    let selected: { id: string } | null = null;
    const { called } = renderAt('/checkout', {
      CartPage: () => ({ cart: { ...addressed(), selectedDeliveryOption: selected } }),
      PaymentGateways: () => ({ paymentGateways: [{ name: 'simulator', publishableKey: null }] }),
      CheckoutShipping: ({ methodId }) => {
        selected = { id: methodId as string };
        return { checkoutShippingMethodUpdate: { cart: { ...addressed(), selectedDeliveryOption: selected }, userErrors: [] } };
      },
      CheckoutComplete: () => {
        attempt += 1;
        if (attempt === 1) return new Error('network down');
        if (attempt === 2) return { checkoutComplete: { checkout: null, stockShortages: [], userErrors: [{ field: null, message: 'Your card was declined.', code: 'INVALID_PAYMENT' }] } };
        if (attempt === 3) return { checkoutComplete: { checkout: null, stockShortages: [{ merchandiseId: 'V1', requested: 2, available: 1 }], userErrors: [] } };
        return { checkoutComplete: { checkout: { id: 'K1', orderToken: 'tok en', order: { id: 'O1' } }, stockShortages: [], userErrors: [] } };
      },
      OrderPage: () => (called('OrderPage').length < 3 ? { order: null } : order('PAID')),
    }, { cartId: 'C1' });
    await userEvent.click(await screen.findByRole('radio', { name: /Express/ }));
    expect(screen.getByRole('radio', { name: /Express/ })).toBeChecked();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Card' }), 'tok_decline');
    await userEvent.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByText('network down')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByText('Your card was declined.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByText(/no longer available/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Place order' }));
    // The order appears a moment later (the orders service records it from the checkout's event).
    expect(await screen.findByText('Thank you! We are recording your order…')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('order-status')).toHaveTextContent('Paid'), { timeout: 4000 });
    expect(screen.queryByRole('link', { name: /Cart \(/ })).toBeNull();
    const keys = called('CheckoutComplete').map((c) => (c.variables.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys[0]).toBe(keys[1]); // a network failure keeps the key: a retry cannot order twice
    expect(new Set(keys.slice(1)).size).toBe(3); // an answered failure starts a new attempt
    expect((called('CheckoutComplete')[0].variables.input as { payment: unknown }).payment).toEqual({ gateway: 'simulator', token: 'tok_decline' });
    expect(called('OrderPage')[0].variables).toEqual({ id: 'O1', token: 'tok en' });
    expect(useSession.getState().cartId).toBeNull();
  });
});

const order = (status: string, extra: Record<string, unknown> = {}) => ({
  order: {
    id: 'O1', number: '1001', status, paymentStatus: status === 'PAID' ? 'PAID' : 'PENDING', email: 'a@b.c', createdAt: '2026-11-22T10:00:00Z', paidAt: null, shippingMethodName: 'Standard',
    lines: [{ sku: 'TEE-S', name: 'Tee', quantity: 1, total: money('19.00') }],
    subtotal: money('19.00'), shipping: money('4.90'), tax: money('3.00'), discounts: money('0'), total: money('26.90'), refunded: money('0'),
    paymentFailure: null, paymentAction: null, fulfillments: [], ...extra,
  },
});

describe('order page', () => {
  it('waits for the payment, then shows the order paid', async () => {
    let first = 0;
    renderAt('/orders/O1?token=t', {
      OrderPage: () => {
        first ||= Date.now();
        return Date.now() - first < 500 ? order('PENDING') : order('PAID');
      },
    });
    expect(await screen.findByText(/confirming your payment/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('order-status')).toHaveTextContent('Paid'), { timeout: 3000 });
    expect(screen.getByText('Thank you! Your order is paid.')).toBeInTheDocument();
  });
  it('shows a cancelled order with its reason and shipments with tracking', async () => {
    renderAt('/orders/O1', { OrderPage: () => order('CANCELLED', { paymentFailure: { code: 'card_declined', message: 'Card declined' }, fulfillments: [{ id: 'F1', status: 'SHIPPED', carrier: 'SIM', trackingNumber: 'AG1', trackingUrl: 'https://t/AG1', shippedAt: null, deliveredAt: null }] }) });
    expect(await screen.findByText('This order was cancelled: Card declined.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Track AG1' })).toHaveAttribute('href', 'https://t/AG1');
  });
  it('lets the shopper confirm a payment that needs 3-D Secure', async () => {
    let confirmed = false;
    const { called } = renderAt('/orders/O1?token=t', {
      OrderPage: () => (confirmed ? order('PAID') : order('PENDING', { paymentStatus: 'ACTION_REQUIRED', paymentAction: { type: 'redirect', url: null } })),
      PaymentConfirm: () => {
        confirmed = true;
        return { paymentConfirm: { payment: { id: 'PAY1' }, userErrors: [] } };
      },
    });
    expect(await screen.findByRole('heading', { name: 'Your bank asks you to confirm this payment' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'I have confirmed the payment' }));
    await waitFor(() => expect(screen.getByTestId('order-status')).toHaveTextContent('Paid'), { timeout: 3000 });
    expect(called('PaymentConfirm')[0].variables).toEqual({ orderId: 'O1', token: 't' });
  });
  it('shows a refused confirmation and the bank page link', async () => {
    renderAt('/orders/O1', {
      OrderPage: () => order('PENDING', { paymentStatus: 'ACTION_REQUIRED', paymentAction: { type: 'redirect', url: 'https://bank.example/3ds' } }),
      PaymentConfirm: () => ({ paymentConfirm: { payment: null, userErrors: [{ field: null, message: 'The check failed', code: 'AUTHENTICATION_FAILED' }] } }),
    });
    expect(await screen.findByRole('link', { name: "Open your bank's verification page" })).toHaveAttribute('href', 'https://bank.example/3ds');
    await userEvent.click(screen.getByRole('button', { name: 'I have confirmed the payment' }));
    expect(await screen.findByText('The check failed')).toBeInTheDocument();
  });
  it('says when an order does not exist', async () => {
    renderAt('/orders/O404', { OrderPage: () => ({ order: null }) });
    expect(await screen.findByText('We could not find this order.')).toBeInTheDocument();
  });
  it('shows an error', async () => {
    renderAt('/orders/O1', { OrderPage: () => new Error('orders down') });
    expect(await screen.findByText('orders down')).toBeInTheDocument();
  });
});
