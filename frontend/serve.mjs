#!/usr/bin/env node
// Serves the built storefront and admin (dist/) on AGORA_WEB_PORT (default 3000), bound to 127.0.0.1,
// and forwards the API to the router on the same origin, so the browser needs no CORS:
//   /graphql        HTTP (queries, mutations, SSE) and WebSocket upgrades (graphql-ws subscriptions)
//   /catalog/media  product images
// Every other path that is not a file gets index.html (client-side routes such as /admin/orders/…).
// No dependencies beyond Node itself.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { extname, join, normalize, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.AGORA_WEB_DIST ?? join(here, 'dist'));
const port = Number(process.env.AGORA_WEB_PORT ?? 3000);
const host = process.env.AGORA_WEB_HOST ?? '127.0.0.1';
const routerPort = Number(process.env.AGORA_ROUTER_PORT ?? 4000);
const routerHost = process.env.AGORA_ROUTER_HOST ?? '127.0.0.1';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.webp': 'image/webp', '.ico': 'image/x-icon', '.json': 'application/json',
  '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
};
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'",
};

const proxied = (url) => url === '/graphql' || url.startsWith('/graphql?') || url.startsWith('/graphql/') || url.startsWith('/catalog/media/');

function proxy(req, res) {
  const upstream = http.request(
    { host: routerHost, port: routerPort, method: req.method, path: req.url, headers: { ...req.headers, host: `${routerHost}:${routerPort}` } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'The API is unavailable right now.', extensions: { code: 'BAD_GATEWAY' } }] }));
  });
  req.pipe(upstream);
}

function serveFile(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = normalize(join(dist, path));
  if (!file.startsWith(dist + sep) && file !== dist) {
    res.writeHead(400).end();
    return;
  }
  const isFile = existsSync(file) && statSync(file).isFile();
  if (!isFile) {
    if (path.startsWith('/assets/')) {
      res.writeHead(404, SECURITY_HEADERS).end('not found');
      return;
    }
    file = join(dist, 'index.html');
  }
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (proxied(req.url ?? '')) proxy(req, res);
  else serveFile(req, res);
});

// WebSocket: forward the upgrade request verbatim and splice the two sockets together.
server.on('upgrade', (req, socket, head) => {
  if (!proxied(req.url ?? '')) {
    socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    return;
  }
  const upstream = net.connect(routerPort, routerHost, () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i];
      lines.push(`${name}: ${name.toLowerCase() === 'host' ? `${routerHost}:${routerPort}` : req.rawHeaders[i + 1]}`);
    }
    upstream.write(lines.join('\r\n') + '\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  const close = () => { socket.destroy(); upstream.destroy(); };
  upstream.on('error', close);
  socket.on('error', close);
});

if (!existsSync(join(dist, 'index.html'))) {
  process.stderr.write(`serve: ${dist}/index.html is missing; build first (npm run build)\n`);
  process.exit(1);
}
server.listen(port, host, () => {
  process.stdout.write(`web: serving ${dist} on http://${host}:${port}/ (API → http://${routerHost}:${routerPort})\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
