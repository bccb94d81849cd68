// Zero trust between the router and the subgraphs (see shared/auth.py for the subgraph side).
//
// 1. The caller's access token (`Authorization: Bearer <JWT>`, or `authorization` in a WebSocket
//    client's connection_init payload) is verified against the accounts subgraph's JWKS: ES256,
//    issuer `agora-accounts`, audience `agora`, not expired. A missing token is an anonymous
//    caller; a present but invalid one is refused with UNAUTHENTICATED (HTTP 401).
// 2. The verified identity (typ, sub, perms, mfa, sid) is forwarded as `x-agora-identity`
//    (base64url JSON) and every upstream request is signed: `x-agora-signature:
//    t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<identity>.<body>")>`. Subscriptions go
//    to subgraphs over WebSocket with `identity` and `signature` (over the body
//    `graphql-transport-ws`) in connection_init; that timestamp is rounded down to the minute so
//    one upstream socket per identity can be shared for a while (subgraphs accept 5 minutes).
// The raw token never reaches a subgraph.

import { createHmac } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export const IDENTITY_HEADER = 'x-agora-identity';
export const SIGNATURE_HEADER = 'x-agora-signature';
const WEBSOCKET_SIGNED_BODY = 'graphql-transport-ws';
const KINDS = new Set(['customer', 'staff']);

export function encodeIdentity(claims) {
  if (!claims) return '';
  const identity = { typ: claims.typ, sub: claims.sub };
  if (Array.isArray(claims.perms) && claims.perms.length) identity.perms = [...claims.perms].sort();
  if (claims.mfa === true) identity.mfa = true;
  if (typeof claims.sid === 'string') identity.sid = claims.sid;
  return Buffer.from(JSON.stringify(identity)).toString('base64url');
}

export function sign(secret, identity, body, nowSeconds = Math.floor(Date.now() / 1000)) {
  const mac = createHmac('sha256', secret).update(`${nowSeconds}.${identity}.`).update(body).digest('hex');
  return `t=${nowSeconds},v1=${mac}`;
}

function unauthenticated(message) {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}

/** Verifies bearer tokens against the JWKS at `jwksUrl` (fetched lazily, cached, refetched on unknown kid). */
export function createTokenVerifier({ jwksUrl, issuer, audience }) {
  const keys = createRemoteJWKSet(new URL(jwksUrl), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
  });
  return async function verify(authorization) {
    if (!authorization) return undefined;
    const [scheme, token, extra] = authorization.trim().split(/\s+/);
    if (!/^bearer$/i.test(scheme ?? '') || !token || extra !== undefined) {
      throw unauthenticated('The Authorization header must be "Bearer <access token>".');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ['ES256'] }));
    } catch (err) {
      if (err?.code === 'ERR_JWT_EXPIRED') throw unauthenticated('The access token has expired.');
      if (err?.code === 'ERR_JWKS_TIMEOUT' || err?.code === 'ECONNREFUSED' || err?.cause?.code === 'ECONNREFUSED') {
        throw new GraphQLError('Sign-in is unavailable right now; try again shortly.', {
          extensions: { code: 'AUTH_UNAVAILABLE', http: { status: 503 } },
        });
      }
      throw unauthenticated('The access token is not valid.');
    }
    if (!KINDS.has(payload.typ) || typeof payload.sub !== 'string' || !payload.sub) {
      throw unauthenticated('The access token is not valid.');
    }
    return payload;
  };
}

/**
 * Plugin: verifies the caller in onContextBuilding (`context.agora.identity`, `.wsSignature`) and
 * signs every upstream HTTP request in onFetch.
 */
export function useAgoraAuth({ secret, verify }) {
  return {
    async onContextBuilding({ context, extendContext }) {
      const claims = await verify(context.agora?.authorization);
      const identity = encodeIdentity(claims);
      const minute = Math.floor(Date.now() / 60_000) * 60;
      extendContext({
        agora: {
          ...context.agora,
          authorization: undefined,
          identity,
          wsSignature: sign(secret, identity, WEBSOCKET_SIGNED_BODY, minute),
        },
      });
    },
    async onFetch({ options, setOptions, context }) {
      const identity = context?.agora?.identity ?? '';
      const headers = { ...(options.headers ?? {}) };
      let body = options.body ?? '';
      if (typeof body !== 'string') {
        // A file upload (FormData): serialize it once, so the signature covers the exact bytes
        // and the boundary the subgraph receives.
        const encoded = new Request('http://upload.invalid/', { method: 'POST', body });
        for (const name of Object.keys(headers)) {
          if (name.toLowerCase() === 'content-type') delete headers[name];
        }
        headers['content-type'] = encoded.headers.get('content-type');
        body = Buffer.from(await encoded.arrayBuffer());
      }
      headers[IDENTITY_HEADER] = identity;
      headers[SIGNATURE_HEADER] = sign(secret, identity, body);
      setOptions({ ...options, headers, body });
    },
  };
}
