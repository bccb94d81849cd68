// Rate limits at the router, before any subgraph is called (see README.md "Rate limits").
//
// Fixed windows, counted per caller (the verified user id, else the client IP):
//   - per caller:                 AGORA_RATE_LIMIT_PER_USER   requests per minute (default 600)
//   - per caller and operation:   AGORA_RATE_LIMIT_PER_OPERATION per minute (default 300), keyed by
//                                 the operation's root fields, so renaming an operation does not help
//   - sensitive root fields:      tighter per-minute limits (logins, registration, resets, below);
//                                 AGORA_RATE_LIMIT_SENSITIVE=false turns them off (benchmarks)
//   - global:                     AGORA_RATE_LIMIT_GLOBAL requests per second for everyone (default 2000)
// Over a limit the caller gets RATE_LIMITED (HTTP 429) with `retryAfter` seconds and a Retry-After
// header. Counters live in memory (one router) or in Redis when AGORA_REDIS_URL is set (every
// router replica shares them). If Redis fails, requests are let through and the failure logged:
// rate limiting must not take the shop down.

import { GraphQLError, Kind, getOperationAST } from 'graphql';

export const SENSITIVE_FIELDS = Object.freeze({
  tokenCreate: 10,
  accountRegister: 5,
  requestPasswordReset: 5,
  setPassword: 10,
  tokenRefresh: 60,
  accountConfirmEmailChange: 10,
  checkoutComplete: 20,
});

export class MemoryCounter {
  constructor() {
    this.windows = new Map();
  }

  /** Adds one to `key` in the window ending at `resetAt` (ms); returns the new count. */
  async hit(key, windowMs, now = Date.now()) {
    const resetAt = Math.floor(now / windowMs) * windowMs + windowMs;
    const slot = `${key}|${resetAt}`;
    const count = (this.windows.get(slot) ?? 0) + 1;
    this.windows.set(slot, count);
    if (this.windows.size > 100_000) this.sweep(now);
    return { count, resetAt };
  }

  sweep(now = Date.now()) {
    for (const slot of this.windows.keys()) {
      if (Number(slot.slice(slot.lastIndexOf('|') + 1)) <= now) this.windows.delete(slot);
    }
  }
}

export class RedisCounter {
  constructor(redis) {
    this.redis = redis;
  }

  async hit(key, windowMs, now = Date.now()) {
    const resetAt = Math.floor(now / windowMs) * windowMs + windowMs;
    const slot = `agora:ratelimit:${key}:${resetAt}`;
    const [[, count]] = await this.redis.multi().incr(slot).pexpireat(slot, resetAt + 1_000).exec();
    return { count: Number(count), resetAt };
  }
}

function rootFields(document, operationName) {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const names = new Set();
  const visit = (selectionSet, seen) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return [...names].sort();
}

function callerKey(context) {
  const identity = context?.agora?.identity;
  if (identity) return `u:${identity}`;
  const ip =
    context?.req?.socket?.remoteAddress ||
    context?.extra?.request?.socket?.remoteAddress ||
    context?.request?.headers?.get?.('x-forwarded-for')?.split(',')[0]?.trim() ||
    'unknown';
  return `ip:${ip}`;
}

export function rateLimited(retryAfterSeconds, scope) {
  return new GraphQLError('Too many requests; try again later.', {
    extensions: {
      code: 'RATE_LIMITED',
      scope,
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
    },
  });
}

/** The checks for one operation, in order; the first limit exceeded wins. */
export async function checkLimits(counter, limits, context, document, operationName, now = Date.now()) {
  const caller = callerKey(context);
  const fields = rootFields(document, operationName);
  const checks = [
    { key: 'global', limit: limits.globalPerSecond, windowMs: 1_000, scope: 'GLOBAL' },
    { key: `${caller}`, limit: limits.perUserPerMinute, windowMs: 60_000, scope: 'USER' },
    { key: `${caller}:op:${fields.join(',')}`, limit: limits.perOperationPerMinute, windowMs: 60_000, scope: 'OPERATION' },
    ...fields
      .filter((f) => limits.sensitive && f in SENSITIVE_FIELDS)
      .map((f) => ({ key: `${caller}:field:${f}`, limit: SENSITIVE_FIELDS[f], windowMs: 60_000, scope: 'OPERATION' })),
  ];
  for (const check of checks) {
    if (!check.limit) continue;
    const { count, resetAt } = await counter.hit(check.key, check.windowMs, now);
    if (count > check.limit) {
      return rateLimited(Math.max(1, Math.ceil((resetAt - now) / 1000)), check.scope);
    }
  }
  return undefined;
}

/** Envelop plugin: counts every operation (queries, mutations, subscriptions) before it runs. */
export function useRateLimits({ counter, limits, log = console }) {
  const guard = async ({ args, setResultAndStopExecution }) => {
    let error;
    try {
      error = await checkLimits(counter, limits, args.contextValue, args.document, args.operationName);
    } catch (err) {
      log.warn?.(`agora-router: rate limit store failed, request let through: ${err?.message ?? err}`);
      return;
    }
    if (error) setResultAndStopExecution({ errors: [error] });
  };
  return { onExecute: guard, onSubscribe: guard };
}
