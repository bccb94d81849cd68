# Agora web image: the storefront (/) and admin (/admin), built with Vite and served by
# frontend/serve.mjs, which also forwards /graphql (HTTP + WebSocket) and /catalog/media to the router.
#
# Build from the repository root:
#   docker build -f compose/web.Dockerfile -t agora/web:dev .
# Files excluded from the context: compose/web.Dockerfile.dockerignore.
FROM node:20-slim AS build
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
# From the lock, without `npm ci` (the lock lists only the linux-x64 native optional packages).
RUN npm install --no-save --no-audit --no-fund
COPY schema/supergraph.graphql /src/schema/supergraph.graphql
COPY frontend/ /src/frontend/
# Operations typed from the committed supergraph (a breaking change fails the build), then the bundle.
RUN npm run codegen && npm run typecheck && npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /src/frontend/dist /app/dist
COPY frontend/serve.mjs /app/serve.mjs
# The base image's `node` user (uid 1000), numeric for Kubernetes' runAsNonRoot.
USER 1000:1000
ENV NODE_ENV=production \
    AGORA_WEB_HOST=0.0.0.0 \
    AGORA_WEB_PORT=3000 \
    AGORA_ROUTER_HOST=router \
    AGORA_ROUTER_PORT=4000
EXPOSE 3000
CMD ["node", "/app/serve.mjs"]
