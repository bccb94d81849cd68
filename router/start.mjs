#!/usr/bin/env node
// Starts the Agora router: the hive-gateway CLI ("supergraph" command) in this process, with
// gateway.config.mjs and the host, port and supergraph path taken from AGORA_* settings.
//
//   node router/start.mjs            (or: cd router && npm start)
//
// Extra arguments are passed on to the CLI (e.g. --fork 2, --opentelemetry <endpoint>).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSettings, ROUTER_DIR, SettingsError } from './settings.mjs';

let settings;
try {
  settings = loadSettings();
} catch (err) {
  if (err instanceof SettingsError) {
    process.stderr.write(`agora-router: invalid setting: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

if (!existsSync(settings.supergraphPath)) {
  process.stderr.write(
    `agora-router: no supergraph at ${settings.supergraphPath}; compose it first: node router/compose.mjs\n`,
  );
  process.exit(2);
}

// The CLI also reads generic variables (HOST, PORT, CONFIG_PATH, RENDER_LEGACY_GRAPHIQL, ...).
// Explicit flags below win over HOST/PORT/CONFIG_PATH; the legacy (CDN) GraphiQL must stay off.
delete process.env.RENDER_LEGACY_GRAPHIQL;
// The gateway's logger reads these before the config file is loaded.
process.env.LOG_LEVEL = settings.logLevel;
if (settings.logJson) process.env.LOG_JSON = '1';
else delete process.env.LOG_JSON;

const bin = join(ROUTER_DIR, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');
process.argv = [
  process.argv[0],
  bin,
  'supergraph',
  settings.supergraphPath,
  '--config-path',
  join(ROUTER_DIR, 'gateway.config.mjs'),
  '--host',
  settings.host,
  '--port',
  String(settings.port),
  ...process.argv.slice(2),
];
await import(pathToFileURL(bin).href);
