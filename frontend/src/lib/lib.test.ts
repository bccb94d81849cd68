import { createAgoraClient, graphqlUrl, websocketUrl } from './client';
import { fieldErrors, formatDate, formatMoney, humanize } from './format';
import { CategoriesQuery } from './operations';
import { newKey, useSession } from './store';

describe('format', () => {
  it('formats money in its currency and falls back for unknown codes', () => {
    expect(formatMoney({ amount: '1234.5', currencyCode: 'EUR' })).toBe('€1,234.50');
    expect(formatMoney({ amount: '3', currencyCode: 'XXXX' })).toBe('3 XXXX');
    expect(formatMoney(null)).toBe('—');
  });
  it('formats dates and blanks', () => {
    expect(formatDate('2026-11-22T10:00:00Z')).toMatch(/Nov 22, 2026/);
    expect(formatDate(null)).toBe('—');
  });
  it('maps userErrors to the last path segment of their field', () => {
    expect(fieldErrors([{ field: ['shippingAddress', 'postalCode'], message: 'bad' }, { field: null, message: 'general' }, { field: ['x', 'postalCode'], message: 'second' }])).toEqual({ postalCode: 'bad', _: 'general' });
    expect(fieldErrors(undefined)).toEqual({});
  });
  it('humanizes enum values', () => {
    expect(humanize('PARTIALLY_FULFILLED')).toBe('Partially fulfilled');
  });
});

describe('client', () => {
  it('derives the endpoint from the page origin and the WebSocket URL from it', () => {
    expect(graphqlUrl('https://shop.example')).toBe('https://shop.example/graphql');
    expect(websocketUrl('https://shop.example/graphql')).toBe('wss://shop.example/graphql');
    expect(websocketUrl('http://127.0.0.1:3000/graphql')).toBe('ws://127.0.0.1:3000/graphql');
  });
  it('POSTs every operation with the access token', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ data: { categories: [] } }), { headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    useSession.getState().signIn('abc', 'r');
    const client = createAgoraClient('http://x/graphql');
    const result = await client.query(CategoriesQuery, {}).toPromise();
    expect(result.data).toEqual({ categories: [] });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://x/graphql');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer abc');
    useSession.getState().signOut();
    await client.query(CategoriesQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    const [, anonymous] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect(new Headers(anonymous.headers).get('authorization')).toBeNull();
    vi.unstubAllGlobals();
  });
});

describe('session store', () => {
  it('keeps tokens and the cart id, and forgets both on sign-out', () => {
    useSession.getState().signIn('a', 'b');
    useSession.getState().setCartId('C9');
    expect(useSession.getState()).toMatchObject({ accessToken: 'a', refreshToken: 'b', cartId: 'C9' });
    expect(JSON.parse(localStorage.getItem('agora.session') ?? '{}').state.cartId).toBe('C9');
    useSession.getState().signOut();
    expect(useSession.getState()).toMatchObject({ accessToken: null, cartId: null });
  });
  it('makes a new idempotency key each time', () => {
    expect(newKey()).not.toBe(newKey());
  });
});
