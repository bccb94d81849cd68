import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { print } from 'graphql';
import { TokenRefreshMutation } from './operations';
import { useSession } from './store';

/** The router's GraphQL endpoint, on the page's own origin (the web server proxies it). */
export function graphqlUrl(origin: string = window.location.origin): string {
  return `${origin}/graphql`;
}

export function websocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

function authorization(): Record<string, string> {
  const token = useSession.getState().accessToken;
  return token ? { authorization: `Bearer ${token}` } : {};
}

const REFRESH = print(TokenRefreshMutation);

/**
 * A fetch that renews an expired access token: on a 401 from the router it exchanges the refresh
 * token once (concurrent requests share the exchange) and retries with the new token; when that is
 * refused the session ends and the request is retried anonymously, so public pages keep working.
 */
export function createAuthFetch(url: string, baseFetch: typeof fetch = (...args) => globalThis.fetch(...args)): typeof fetch {
  let refreshing: Promise<void> | null = null;
  const refresh = async (): Promise<void> => {
    const { refreshToken, signIn } = useSession.getState();
    if (refreshToken) {
      try {
        const response = await baseFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: REFRESH, variables: { input: { refreshToken } } }),
        });
        const body = (await response.json()) as { data?: { tokenRefresh?: { accessToken?: string | null; refreshToken?: string | null } } };
        const renewed = body.data?.tokenRefresh;
        if (renewed?.accessToken) {
          signIn(renewed.accessToken, renewed.refreshToken ?? null);
          return;
        }
      } catch {
        // fall through: the session ends
      }
    }
    useSession.setState({ accessToken: null, refreshToken: null });
  };
  return async (input, init) => {
    const response = await baseFetch(input, init);
    if (response.status !== 401 || !new Headers(init?.headers).has('authorization')) return response;
    refreshing ??= refresh().finally(() => {
      refreshing = null;
    });
    await refreshing;
    const headers = new Headers(init?.headers);
    const token = useSession.getState().accessToken;
    if (token) headers.set('authorization', `Bearer ${token}`);
    else headers.delete('authorization');
    return baseFetch(input, { ...init, headers });
  };
}

/**
 * One urql client for the app: queries and mutations over HTTP, subscriptions over graphql-ws
 * through the router. The WebSocket is opened lazily, on the first subscription, and carries the
 * access token in its connection_init payload.
 */
export function createAgoraClient(url: string = graphqlUrl()): Client {
  let ws: WsClient | null = null;
  const socket = (): WsClient => {
    ws ??= createWsClient({
      url: websocketUrl(url),
      lazy: true,
      retryAttempts: Infinity,
      connectionParams: () => authorization(),
    });
    return ws;
  };
  return new Client({
    url,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const dispose = socket().subscribe(input, sink);
              return { unsubscribe: dispose };
            },
          };
        },
      }),
    ],
    fetchOptions: () => ({ headers: authorization() }),
    fetch: createAuthFetch(url),
    requestPolicy: 'cache-and-network',
    // The router refuses GET operations (CSRF protection): always POST.
    preferGetMethod: false,
  });
}
