// Router settings, read once from the environment (prefix AGORA_), validated, frozen.
// Shared by start.mjs and gateway.config.mjs. Fails fast with a clear message.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, Kind } from 'graphql';

export const ROUTER_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SUPERGRAPH = resolve(ROUTER_DIR, '..', 'schema', 'supergraph.graphql');

export class SettingsError extends Error {}

function bool(env, name, dflt) {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new SettingsError(`${name}=${JSON.stringify(raw)}: expected true or false`);
}

function port(env, name, dflt) {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new SettingsError(`${name}=${JSON.stringify(raw)}: expected a TCP port 1-65535`);
  }
  return Number(raw);
}

function httpUrl(name, raw) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    throw new SettingsError(`${name}=${JSON.stringify(raw)}: not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new SettingsError(`${name}=${JSON.stringify(raw)}: expected an http:// or https:// URL`);
  }
  return u.toString();
}

function count(env, name, dflt) {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (!/^\d+$/.test(raw.trim())) {
    throw new SettingsError(`${name}=${JSON.stringify(raw)}: expected a whole number (0 turns the limit off)`);
  }
  return Number(raw);
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

// Same development default as shared/settings.py: refused when AGORA_ENV=production.
export const DEV_ROUTER_SECRET = 'agora-development-router-secret-not-for-production';
const MIN_ROUTER_SECRET_LENGTH = 32;

function routerSecret(env) {
  const production = (env.AGORA_ENV || '').trim().toLowerCase() === 'production';
  const secret = env.AGORA_ROUTER_SECRET || DEV_ROUTER_SECRET;
  if (secret.length < MIN_ROUTER_SECRET_LENGTH) {
    throw new SettingsError(`AGORA_ROUTER_SECRET must be at least ${MIN_ROUTER_SECRET_LENGTH} characters`);
  }
  if (production && secret === DEV_ROUTER_SECRET) {
    throw new SettingsError('AGORA_ENV=production needs AGORA_ROUTER_SECRET (shared with the subgraphs), not the development default');
  }
  return secret;
}

/** Read and validate the router's settings from `env` (default: process.env). */
export function loadSettings(env = process.env) {
  const logLevel = (env.AGORA_ROUTER_LOG_LEVEL || 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new SettingsError(`AGORA_ROUTER_LOG_LEVEL=${JSON.stringify(env.AGORA_ROUTER_LOG_LEVEL)}: expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const subgraphsUrl = httpUrl('AGORA_SUBGRAPHS_URL', env.AGORA_SUBGRAPHS_URL || 'http://127.0.0.1:4001').replace(/\/+$/, '');
  return Object.freeze({
    host: env.AGORA_ROUTER_HOST || '127.0.0.1',
    port: port(env, 'AGORA_ROUTER_PORT', 4000),
    supergraphPath: resolve(env.AGORA_ROUTER_SUPERGRAPH || DEFAULT_SUPERGRAPH),
    subgraphsUrl,
    graphiql: bool(env, 'AGORA_ROUTER_GRAPHIQL', true),
    introspection: bool(env, 'AGORA_ROUTER_INTROSPECTION', true),
    logLevel,
    logJson: bool(env, 'AGORA_ROUTER_LOG_JSON', false),
    routerSecret: routerSecret(env),
    jwksUrl: httpUrl('AGORA_JWKS_URL', env.AGORA_JWKS_URL || `${subgraphsUrl}/accounts/.well-known/jwks.json`),
    jwtIssuer: env.AGORA_JWT_ISSUER || 'agora-accounts',
    jwtAudience: env.AGORA_JWT_AUDIENCE || 'agora',
    rateLimits: Object.freeze({
      perUserPerMinute: count(env, 'AGORA_RATE_LIMIT_PER_USER', 600),
      perOperationPerMinute: count(env, 'AGORA_RATE_LIMIT_PER_OPERATION', 300),
      globalPerSecond: count(env, 'AGORA_RATE_LIMIT_GLOBAL', 2000),
      sensitive: bool(env, 'AGORA_RATE_LIMIT_SENSITIVE', true),
    }),
    redisUrl: env.AGORA_REDIS_URL || undefined,
    production: (env.AGORA_ENV || '').trim().toLowerCase() === 'production',
    env,
  });
}

/** HTTP URL of subgraph `name`: AGORA_SUBGRAPH_URL_<NAME> wins over AGORA_SUBGRAPHS_URL/<name>/graphql. */
export function subgraphHttpUrl(settings, name) {
  const key = `AGORA_SUBGRAPH_URL_${name.toUpperCase()}`;
  const override = settings.env[key];
  if (override) return httpUrl(key, override);
  return `${settings.subgraphsUrl}/${name}/graphql`;
}

/** WebSocket URL (graphql-transport-ws) of subgraph `name`: same host and path, ws(s) scheme. */
export function subgraphWsUrl(settings, name) {
  return subgraphHttpUrl(settings, name).replace(/^http/, 'ws');
}

/** Subgraph names from the supergraph's `join__Graph` enum (`@join__graph(name: ...)`). */
export function subgraphNamesFromSupergraph(sdl) {
  const doc = parse(sdl);
  const names = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const dir = value.directives?.find((d) => d.name.value === 'join__graph');
      const arg = dir?.arguments?.find((a) => a.name.value === 'name');
      if (arg && arg.value.kind === Kind.STRING) names.push(arg.value.value);
    }
  }
  return names;
}

export function readSubgraphNames(supergraphPath) {
  let sdl;
  try {
    sdl = readFileSync(supergraphPath, 'utf8');
  } catch (err) {
    throw new SettingsError(`cannot read the supergraph ${supergraphPath} (run: node router/compose.mjs): ${err.message}`);
  }
  return subgraphNamesFromSupergraph(sdl);
}
