import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
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
    requestPolicy: 'cache-and-network',
    // The router refuses GET operations (CSRF protection): always POST.
    preferGetMethod: false,
  });
}
