import { createAgoraClient, createAuthFetch, graphqlUrl, websocketUrl } from './client';
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

describe('expired access tokens', () => {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  it('renews the token once for concurrent requests and retries with it', async () => {
    const seen: Array<string | null> = [];
    let refreshes = 0;
    const base = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      const body = String(init?.body ?? '');
      if (body.includes('tokenRefresh')) {
        refreshes += 1;
        expect(JSON.parse(body).variables).toEqual({ input: { refreshToken: 'R1' } });
        return json({ data: { tokenRefresh: { accessToken: 'A2', refreshToken: 'R2', userErrors: [] } } });
      }
      const auth = new Headers(init?.headers).get('authorization');
      seen.push(auth);
      return auth === 'Bearer A1' ? json({ errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] }, 401) : json({ data: { ok: true } });
    });
    useSession.getState().signIn('A1', 'R1');
    const authFetch = createAuthFetch('http://x/graphql', base as unknown as typeof fetch);
    const headers = { authorization: 'Bearer A1' };
    const [a, b] = await Promise.all([authFetch('http://x/graphql', { method: 'POST', headers, body: '{}' }), authFetch('http://x/graphql', { method: 'POST', headers, body: '{}' })]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(refreshes).toBe(1);
    expect(seen.filter((s) => s === 'Bearer A2')).toHaveLength(2);
    expect(useSession.getState()).toMatchObject({ accessToken: 'A2', refreshToken: 'R2' });
  });
  it('ends the session when the refresh is refused and retries anonymously', async () => {
    const base = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      if (String(init?.body ?? '').includes('tokenRefresh')) return json({ data: { tokenRefresh: { accessToken: null, refreshToken: null, userErrors: [{ code: 'INVALID_TOKEN' }] } } });
      return new Headers(init?.headers).has('authorization') ? json({ errors: [] }, 401) : json({ data: { ok: true } });
    });
    useSession.getState().signIn('A1', 'R1');
    useSession.getState().setCartId('C1');
    const response = await createAuthFetch('http://x/graphql', base as unknown as typeof fetch)('http://x/graphql', { headers: { authorization: 'Bearer A1' } });
    expect(response.status).toBe(200);
    expect(useSession.getState()).toMatchObject({ accessToken: null, refreshToken: null, cartId: 'C1' });
  });
  it('leaves anonymous 401s alone', async () => {
    const base = vi.fn(async () => json({ errors: [] }, 401));
    const response = await createAuthFetch('http://x/graphql', base as unknown as typeof fetch)('http://x/graphql', {});
    expect(response.status).toBe(401);
    expect(base).toHaveBeenCalledTimes(1);
  });
});
