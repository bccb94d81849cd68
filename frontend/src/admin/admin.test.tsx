import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeSubject } from 'wonka';
import { money, renderAt } from '../test/render';
import { summarize } from './Dashboard';

const staff = (permissions: string[]) => () => ({ meStaff: { staff: { id: 'S1', email: 'admin@agora.local', firstName: 'A', lastName: 'D' }, permissions, mfa: true } });
const orderRow = (n: number, status = 'PAID') => ({ id: `O${n}`, number: String(1000 + n), status, paymentStatus: status === 'PAID' ? 'PAID' : 'PENDING', email: `c${n}@example.com`, createdAt: `2026-11-${String(10 + (n % 10)).padStart(2, '0')}T10:00:00Z`, total: money(`${n}.00`) });
const orders = (count: number) => ({ orders: { totalCount: count, pageInfo: { hasNextPage: count > 100, endCursor: 'c100' }, edges: Array.from({ length: Math.min(count, 100) }, (_, i) => ({ node: orderRow(i + 1) })) } });

describe('dashboard figures', () => {
  it('counts paid orders, revenue, average order value and revenue per day', () => {
    const s = summarize([orderRow(1), orderRow(2), orderRow(11), orderRow(3, 'CANCELLED'), orderRow(4, 'PENDING')]);
    expect(s.orders).toBe(3);
    expect(s.revenue).toEqual({ amount: '14.00', currencyCode: 'EUR' });
    expect(s.aov).toEqual({ amount: '4.67', currencyCode: 'EUR' });
    expect(s.days).toEqual([['2026-11-11', 12], ['2026-11-12', 2]]);
    expect(summarize([]).aov.amount).toBe('0.00');
  });
});

describe('admin access', () => {
  it('asks staff to sign in', async () => {
    renderAt('/admin', {});
    expect(await screen.findByRole('heading', { name: 'Staff sign in' })).toBeInTheDocument();
  });
  it('refuses a customer account', async () => {
    renderAt('/admin', { MeStaff: () => ({ meStaff: null }) }, { signedIn: true });
    expect(await screen.findByText('This account is not a staff account.')).toBeInTheDocument();
  });
  it('shows only the sections the staff member may use', async () => {
    renderAt('/admin/orders', { MeStaff: staff(['MANAGE_REVIEWS']) }, { signedIn: true });
    const nav = await screen.findByRole('navigation', { name: 'Admin sections' });
    expect(within(nav).queryByRole('link', { name: 'Orders' })).toBeNull();
    expect(within(nav).getByRole('link', { name: 'Reviews' })).toBeInTheDocument();
    expect(screen.getByText('This page needs the MANAGE_ORDERS permission.')).toBeInTheDocument();
  });
});

describe('dashboard', () => {
  it('shows KPIs and new orders, payments and reviews live', async () => {
    const subjects = { OrderActivityFeed: makeSubject<unknown>(), ModerationFeed: makeSubject<unknown>(), StockAlertsFeed: makeSubject<unknown>() };
    renderAt('/admin', { MeStaff: staff(['MANAGE_ORDERS', 'MANAGE_REVIEWS', 'MANAGE_INVENTORY']), AdminOrders: () => orders(3) }, { signedIn: true, subjects });
    expect(await screen.findByText('Average order value')).toBeInTheDocument();
    expect(screen.getByText('€6.00')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /Revenue per day/ })).toBeInTheDocument();
    expect(screen.getByText(/Waiting for new orders/)).toBeInTheDocument();
    act(() => subjects.OrderActivityFeed.next({ orderActivity: { type: 'OrderPlaced', orderId: 'O9', number: '1009', amount: '26.90', currency: 'EUR' } }));
    expect(await screen.findByRole('link', { name: 'New order #1009 · €26.90' })).toHaveAttribute('href', '/admin/orders/O9');
    act(() => subjects.OrderActivityFeed.next({ orderActivity: { type: 'PaymentCaptured', orderId: 'O9', number: '1009', amount: null, currency: null } }));
    expect(await screen.findByText('PaymentCaptured #1009')).toBeInTheDocument();
    act(() => subjects.ModerationFeed.next({ reviewModerationQueue: { id: 'R1', rating: 2, title: 'Meh', authorName: 'Bo', product: { id: 'P1', name: 'Tee' } } }));
    expect(await screen.findByText('Review awaiting moderation: “Meh” (2★) on Tee')).toBeInTheDocument();
    act(() => subjects.StockAlertsFeed.next({ stockAlerts: { type: 'StockLow', variantId: 'V1', available: 2, threshold: 5, variant: { id: 'V1', sku: 'TEE-S', product: { id: 'P1', name: 'Tee' } } } }));
    expect(await screen.findByText('Low stock: Tee (TEE-S) — 2 left')).toBeInTheDocument();
    act(() => subjects.StockAlertsFeed.next({ stockAlerts: { type: 'BackInStock', variantId: 'V2', available: 9, threshold: null, variant: { id: 'V2', sku: 'MUG', product: null } } }));
    expect(await screen.findByText('Back in stock: MUG — 9 available')).toBeInTheDocument();
    const items = within(screen.getByRole('list', { name: 'Live activity' })).getAllByRole('listitem');
    expect(items.map((i) => i.dataset.kind)).toEqual(['stock', 'stock', 'review', 'payment', 'order']);
    act(() => subjects.OrderActivityFeed.next(new Error('socket closed')));
    expect(await screen.findByText('The live feed is disconnected')).toBeInTheDocument();
  });
  it('has no sales figures without the orders permission', async () => {
    renderAt('/admin', { MeStaff: staff([]) }, { signedIn: true });
    expect(await screen.findByRole('heading', { name: 'Live activity' })).toBeInTheDocument();
    expect(screen.queryByText('Revenue')).toBeNull();
  });
});

describe('orders', () => {
  beforeEach(() => {
    // jsdom has no layout: give the scroll container a size so the virtualizer renders rows.
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
  });
  afterEach(() => vi.restoreAllMocks());
  it('renders only the visible rows of a long list, filters and pages on the server', async () => {
    const { called } = renderAt('/admin/orders', { MeStaff: staff(['MANAGE_ORDERS']), AdminOrders: () => orders(250) }, { signedIn: true });
    expect(await screen.findByText('250 orders')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByRole('row').length).toBeGreaterThan(5));
    expect(screen.getAllByRole('row').length).toBeLessThan(50); // 1 header + the visible rows of 100 loaded
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'PAID');
    await userEvent.type(screen.getByLabelText('Search (number or email)'), 'c1@');
    await waitFor(() => expect(called('AdminOrders').at(-1)?.variables.filter).toEqual({ status: 'PAID', search: 'c1@' }));
    await userEvent.click(screen.getByRole('button', { name: 'Next 100 orders' }));
    await waitFor(() => expect(called('AdminOrders').at(-1)?.variables.after).toBe('c100'));
  });
  it('says when nothing matches', async () => {
    renderAt('/admin/orders', { MeStaff: staff(['MANAGE_ORDERS']), AdminOrders: () => orders(0) }, { signedIn: true });
    expect(await screen.findByText('No orders match.')).toBeInTheDocument();
  });
});

const detail = (status: string, extra: Record<string, unknown> = {}) => ({
  order: {
    id: 'O1', number: '1001', status, paymentStatus: 'PAID', email: 'a@b.c', createdAt: '2026-11-22T10:00:00Z', paidAt: '2026-11-22T10:00:01Z', canCancel: status === 'PAID', shippingMethodName: 'Standard',
    lines: [{ sku: 'TEE-S', name: 'Tee', quantity: 1, variant: { id: 'V1' }, total: money('19.00') }],
    total: money('26.90'), paid: money('26.90'), refunded: money('0.00'),
    shippingAddress: { firstName: 'Ada', lastName: 'L', address1: 'Street 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' },
    fulfillments: [], history: [{ version: 1, type: 'OrderPlaced', actor: 'customer', at: '2026-11-22T10:00:00Z' }, { version: 2, type: 'OrderPaid', actor: 'system', at: '2026-11-22T10:00:01Z' }],
    ...extra,
  },
});

describe('order detail', () => {
  it('fulfils, ships, cancels and refunds, showing the audit trail and refusals', async () => {
    let state = detail('PAID');
    const { called } = renderAt('/admin/orders/O1', {
      MeStaff: staff(['MANAGE_ORDERS']),
      AdminOrder: () => state,
      FulfillmentCreate: () => {
        state = detail('PAID', { fulfillments: [{ id: 'F1', status: 'ALLOCATED', carrier: null, trackingNumber: null, trackingUrl: null }] });
        return { fulfillmentCreate: { order: { id: 'O1', status: 'PAID', fulfillments: [], __typename: 'Order' }, userErrors: [] } };
      },
      FulfillmentShip: () => {
        state = detail('FULFILLED', { fulfillments: [{ id: 'F1', status: 'SHIPPED', carrier: 'SIM', trackingNumber: 'AG1', trackingUrl: null }] });
        return { fulfillmentShip: { order: { id: 'O1', status: 'FULFILLED', fulfillments: [], __typename: 'Order' }, userErrors: [] } };
      },
      OrderCancel: () => ({ orderCancel: { order: null, userErrors: [{ field: null, message: 'Shipped orders cannot be cancelled', code: 'INVALID_STATE' }] } }),
      OrderRefund: () => ({ orderRefund: { order: null, userErrors: [{ field: ['amount'], message: 'More than was paid', code: 'INVALID' }] } }),
    }, { signedIn: true });
    expect(await screen.findByRole('heading', { name: 'Order #1001' })).toBeInTheDocument();
    expect(screen.getByText(/OrderPaid · system/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    expect(await screen.findByText('Shipped orders cannot be cancelled')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Create fulfillment' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Ship fulfillment' }));
    expect(await screen.findByText('Shipped · SIM AG1')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Refund amount (EUR)'), '99');
    await userEvent.click(screen.getByRole('button', { name: 'Refund' }));
    expect(await screen.findByText('More than was paid')).toBeInTheDocument();
    expect(called('OrderRefund')[0].variables).toMatchObject({ orderId: 'O1', amount: '99' });
  });
  it('says when the order does not exist', async () => {
    renderAt('/admin/orders/nope', { MeStaff: staff(['MANAGE_ORDERS']), AdminOrder: () => ({ order: null }) }, { signedIn: true });
    expect(await screen.findByText('Order not found.')).toBeInTheDocument();
  });
});

describe('reviews moderation', () => {
  it('approves and rejects pending reviews', async () => {
    let pending = [
      { id: 'R1', rating: 1, title: 'Bad', body: 'Broke', authorName: 'Bo', createdAt: '2026-11-22T10:00:00Z', product: { id: 'P1', name: 'Tee' } },
      { id: 'R2', rating: 5, title: 'Great', body: '', authorName: 'Cy', createdAt: '2026-11-22T10:00:00Z', product: { id: 'P1', name: 'Tee' } },
    ];
    const { called } = renderAt('/admin/reviews', {
      MeStaff: staff(['MANAGE_REVIEWS']),
      Moderation: () => ({ reviewsForModeration: { totalCount: pending.length, edges: pending.map((node) => ({ node })) } }),
      ReviewModerate: ({ reviewId }) => {
        pending = pending.filter((r) => r.id !== reviewId);
        return { reviewModerate: { review: { id: reviewId, status: 'APPROVED', __typename: 'Review' }, userErrors: [] } };
      },
    }, { signedIn: true });
    const first = (await screen.findByText('Bad')).closest('li') as HTMLElement;
    await userEvent.click(within(first).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(screen.queryByText('Bad')).toBeNull());
    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Nothing to moderate.')).toBeInTheDocument();
    expect(called('ReviewModerate').map((c) => c.variables)).toEqual([{ reviewId: 'R1', approve: false }, { reviewId: 'R2', approve: true }]);
  });
});
