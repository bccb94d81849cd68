// Hive Gateway configuration for the Agora router.
//
// Loaded by the hive-gateway CLI (see start.mjs, which passes --config-path, --host and --port).
// Every setting comes from the environment through settings.mjs; see README.md for the list.

import { randomUUID } from 'node:crypto';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { GraphQLError, getOperationAST } from 'graphql';
import Redis from 'ioredis';
import { createTokenVerifier, useAgoraAuth } from './auth.mjs';
import { MemoryCounter, RedisCounter, useRateLimits } from './ratelimit.mjs';
import { loadSettings, readSubgraphNames, subgraphHttpUrl, subgraphWsUrl } from './settings.mjs';

const settings = loadSettings();

// ---------------------------------------------------------------------------------------------
// Limits (see README.md "Limits and hardening"). Change them here only.
export const LIMITS = Object.freeze({
  maxDepth: 15,
  maxTokens: 10_000,
  maxAliases: 30,
  maxBodyBytes: 2_000_000, // bytes; larger bodies get 413
  maxUploadBodyBytes: 10_000_000 + 64 * 1024, // multipart (file upload) bodies: catalog image limit + envelope
  upstreamTimeoutMs: 30_000, // per subgraph request (queries, mutations); not subscriptions
});

// ---------------------------------------------------------------------------------------------
// Subgraph locations. The committed supergraph records http://127.0.0.1:4001/<name>/graphql for
// every subgraph; here each one is re-pointed from the environment, and subscriptions go over
// graphql-transport-ws to the same path. A Proxy, not a fixed object, so a subgraph added to the
// supergraph while the gateway runs (hot reload) is wired the same way.
const knownSubgraphs = readSubgraphNames(settings.supergraphPath);
for (const key of Object.keys(settings.env)) {
  const m = /^AGORA_SUBGRAPH_URL_(.+)$/.exec(key);
  if (m && !knownSubgraphs.some((n) => n.toUpperCase() === m[1])) {
    process.stderr.write(
      `agora-router: warning: ${key} is set but the supergraph has no subgraph "${m[1].toLowerCase()}" ` +
        `(subgraphs: ${knownSubgraphs.join(', ') || 'none'})\n`,
    );
  }
}

function transportEntryFor(name) {
  return {
    kind: 'http',
    location: subgraphHttpUrl(settings, name),
    options: {
      subscriptions: {
        kind: 'ws',
        location: subgraphWsUrl(settings, name),
        options: {
          // One upstream WebSocket per subgraph, verified caller and minute: the identity and its
          // signature (auth.mjs) reach the subgraph in connection_init's payload, where
          // SubgraphGraphQL.on_ws_connect verifies them. Empty values are dropped.
          connectionParams: { identity: '{context.agora.identity}', signature: '{context.agora.wsSignature}' },
        },
      },
    },
  };
}

const transportEntryCache = new Map();
const transportEntries = new Proxy(
  {},
  {
    get(target, prop, receiver) {
      // '*' and '*.<kind>' are wildcard keys the gateway looks up; we configure none.
      if (typeof prop !== 'string' || prop.startsWith('*') || prop === 'then' || prop in Object.prototype) {
        return Reflect.get(target, prop, receiver);
      }
      if (!transportEntryCache.has(prop)) transportEntryCache.set(prop, transportEntryFor(prop));
      return transportEntryCache.get(prop);
    },
  },
);

// ---------------------------------------------------------------------------------------------
// Request metadata: x-request-id, authorization and W3C trace context, taken from the HTTP request
// headers or, for WebSocket clients, from the connection_init payload (connectionParams).
const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_RE = /^[A-Za-z0-9._:/+=@-]{1,128}$/;
const TRACEPARENT_RE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function validTraceparent(value) {
  const m = typeof value === 'string' ? TRACEPARENT_RE.exec(value.trim()) : null;
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined;
  return value.trim();
}

function validRequestId(value) {
  return typeof value === 'string' && REQUEST_ID_RE.test(value) ? value : undefined;
}

function fromConnectionParams(params, name) {
  if (!params || typeof params !== 'object') return undefined;
  for (const [k, v] of Object.entries(params)) {
    if (k.toLowerCase() === name && typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

const requestIdByRequest = new WeakMap();

/** x-request-id on HTTP: reuse a well-formed incoming id, else generate one; echo it in the response. */
function useAgoraRequestId() {
  return {
    onRequest({ request, serverContext }) {
      const id = validRequestId(request.headers.get(REQUEST_ID_HEADER)) ?? randomUUID();
      requestIdByRequest.set(request, id);
      if (serverContext?.log?.child) serverContext.log = serverContext.log.child({ requestId: id });
    },
    onResponse({ request, response }) {
      const id = requestIdByRequest.get(request);
      if (id) response.headers.set(REQUEST_ID_HEADER, id);
    },
  };
}

/** Puts `context.agora = { requestId, authorization, traceparent, tracestate }` on every operation. */
function useAgoraContext() {
  return {
    onContextBuilding({ context, extendContext }) {
      const request = context.request;
      const params = context.connectionParams;
      const header = (name) => request?.headers?.get(name) || fromConnectionParams(params, name);
      const requestId =
        (request && requestIdByRequest.get(request)) ??
        validRequestId(header(REQUEST_ID_HEADER)) ??
        randomUUID();
      const traceparent = validTraceparent(header('traceparent'));
      extendContext({
        agora: {
          requestId,
          authorization: header('authorization') || undefined,
          traceparent,
          tracestate: traceparent ? header('tracestate') || undefined : undefined,
        },
      });
    },
  };
}

/**
 * Product images through the router's origin: GET/HEAD /catalog/media/<key> is fetched from the
 * catalog subgraph (its public, immutable, content-addressed files) and answered with its status,
 * type and cache headers. Image URLs in the API are relative (/catalog/media/...), so they work
 * from the router's origin for GraphiQL, the storefront and apps. Only that prefix, only GET and
 * HEAD, only keys of safe characters; nothing else of a subgraph is reachable this way.
 */
const MEDIA_PREFIX = '/catalog/media/';
const MEDIA_KEY_RE = /^[A-Za-z0-9._/-]{1,200}$/;
const MEDIA_HEADERS = ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified'];

function useMediaProxy(catalogGraphqlUrl) {
  const base = catalogGraphqlUrl.replace(/\/graphql$/, '');
  return {
    onRequest({ request, fetchAPI, endResponse, url }) {
      const path = (url ?? new URL(request.url)).pathname;
      if (!path.startsWith(MEDIA_PREFIX)) return;
      const key = path.slice(MEDIA_PREFIX.length);
      if (!['GET', 'HEAD'].includes(request.method) || !MEDIA_KEY_RE.test(key) || key.includes('..')) {
        endResponse(new fetchAPI.Response('not found', { status: 404 }));
        return;
      }
      return fetch(`${base}/media/${key}`, { method: request.method }).then(
        (upstream) => {
          const headers = {};
          for (const name of MEDIA_HEADERS) {
            const value = upstream.headers.get(name);
            if (value) headers[name] = value;
          }
          endResponse(new fetchAPI.Response(upstream.body, { status: upstream.status, headers }));
        },
        () => endResponse(new fetchAPI.Response('media unavailable', { status: 502 })),
      );
    },
  };
}

/** Rejects bodies over the limit (413) and bodies of unknown length (411) before parsing. */
function useBodyLimit(maxBytes, maxUploadBytes) {
  const reject = (fetchAPI, status, message) =>
    new fetchAPI.Response(JSON.stringify({ errors: [{ message }] }), {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      const length = request.headers.get('content-length');
      const upload = (request.headers.get('content-type') || '').startsWith('multipart/form-data');
      const limit = upload ? maxUploadBytes : maxBytes;
      if (length !== null) {
        if (!/^\d+$/.test(length) || Number(length) > limit) {
          endResponse(reject(fetchAPI, 413, `Request body too large (limit ${limit} bytes)`));
        }
      } else if (request.headers.has('transfer-encoding')) {
        endResponse(reject(fetchAPI, 411, 'Content-Length required'));
      }
    },
  };
}

/**
 * Removes `extensions.request` / `extensions.response` that the gateway attaches to upstream errors
 * (subgraph URL, the subgraph request body with its variables, response headers): internal details
 * a client must not see. `serviceName` and `code` stay.
 */
function useHideUpstreamDetails() {
  const clean = (error) => {
    const ext = error?.extensions;
    if (!ext || !('request' in ext || 'response' in ext)) return error;
    const { request: _request, response: _response, ...rest } = ext;
    return new GraphQLError(error.message, {
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: rest,
    });
  };
  const onResult = ({ result, setResult }) => {
    if (result?.errors?.length) setResult({ ...result, errors: result.errors.map(clean) });
  };
  const onDone = (payload) => {
    if (payload.result && typeof payload.result[Symbol.asyncIterator] === 'function') {
      return { onNext: onResult };
    }
    onResult(payload);
    return undefined;
  };
  return {
    onExecute: () => ({ onExecuteDone: onDone }),
    onSubscribe: () => ({ onSubscribeResult: onDone }),
  };
}

/**
 * Security headers on everything the router serves. The Laboratory page (HTML) keeps its inline
 * scripts, so the strict CSP goes on API responses only.
 */
function useSecurityHeaders({ production }) {
  return {
    onResponse({ response }) {
      const h = response.headers;
      h.set('x-content-type-options', 'nosniff');
      h.set('referrer-policy', 'no-referrer');
      h.set('x-frame-options', 'DENY');
      h.set('cross-origin-opener-policy', 'same-origin');
      h.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
      if (!(h.get('content-type') || '').startsWith('text/html')) {
        h.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      }
      if (production) h.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
    },
  };
}

const rateCounter = settings.redisUrl
  ? new RedisCounter(new Redis(settings.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }))
  : new MemoryCounter();

/** The client's address for subgraphs (accounts throttles logins per IP): x-forwarded-for. */
function clientIp(context) {
  return context?.req?.socket?.remoteAddress || context?.extra?.request?.socket?.remoteAddress || undefined;
}

// ---------------------------------------------------------------------------------------------
/** @type {import('@graphql-hive/gateway').GatewayConfig} */
export const gatewayConfig = {
  supergraph: settings.supergraphPath,
  host: settings.host,
  port: settings.port,
  logging: settings.logLevel,
  graphqlEndpoint: '/graphql',
  healthCheckEndpoint: '/healthcheck',
  readinessCheckEndpoint: '/readiness',
  landingPage: false,

  // Offline Laboratory (the CLI default renderGraphiQL) on GET /graphql; never the CDN legacy GraphiQL.
  graphiql: settings.graphiql ? { title: 'Agora' } : false,
  renderLegacyGraphiQL: false,
  disableIntrospection: !settings.introspection,
  blockFieldSuggestions: !settings.introspection,

  maskedErrors: true,
  // GraphQL requests must be preflighted by browsers: JSON/graphql-response content types pass;
  // GET and form/text/plain/multipart POSTs need one of these headers (Yoga's CSRF prevention).
  csrfPrevention: { requestHeaders: ['x-graphql-csrf', 'apollo-require-preflight', 'graphql-client-name'] },
  batching: false,
  // GraphQL multipart requests (file uploads, e.g. productImageUpload); forwarded to the subgraph
  // as multipart, signed over the exact bytes sent (auth.mjs).
  multipart: true,
  maxDepth: LIMITS.maxDepth,
  maxTokens: LIMITS.maxTokens,

  prometheus: { endpoint: '/metrics' },

  transportEntries,
  upstreamTimeout({ executionRequest }) {
    const type =
      executionRequest.operationType ??
      getOperationAST(executionRequest.document, executionRequest.operationName)?.operation;
    return type === 'subscription' ? undefined : LIMITS.upstreamTimeoutMs;
  },
  requestId: false, // replaced by useAgoraRequestId (validates incoming ids)
  propagateHeaders: {
    fromClientToSubgraphs({ context }) {
      const a = context?.agora;
      if (!a) return {};
      return {
        [REQUEST_ID_HEADER]: a.requestId,
        'x-forwarded-for': clientIp(context),
        traceparent: a.traceparent,
        tracestate: a.tracestate,
      };
    },
  },

  plugins: () => [
    useMediaProxy(subgraphHttpUrl(settings, 'catalog')),
    useBodyLimit(LIMITS.maxBodyBytes, LIMITS.maxUploadBodyBytes),
    useAgoraRequestId(),
    useAgoraContext(),
    useAgoraAuth({
      secret: settings.routerSecret,
      verify: createTokenVerifier({
        jwksUrl: settings.jwksUrl,
        issuer: settings.jwtIssuer,
        audience: settings.jwtAudience,
      }),
    }),
    useSecurityHeaders({ production: settings.production }),
    useRateLimits({ counter: rateCounter, limits: settings.rateLimits }),
    maxAliasesPlugin({ n: LIMITS.maxAliases }),
    useHideUpstreamDetails(),
  ],
};
