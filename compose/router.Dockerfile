# Agora router image: Hive Gateway serving schema/supergraph.graphql (composed offline, committed).
#
# Build from the repository root:
#   docker build -f compose/router.Dockerfile -t agora/router:dev .
# Files excluded from the context: compose/router.Dockerfile.dockerignore.
FROM node:20-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app/router

# Dependencies first (cached layer while the lockfile is unchanged). The lockfile carries the npm
# `overrides` pin of @graphql-tools/delegate the gateway needs; `npm ci` installs exactly that.
# Runtime packages (@graphql-hive/gateway, ...) must be in "dependencies", not "devDependencies".
COPY router/package.json router/package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY schema/supergraph.graphql /app/schema/supergraph.graphql
COPY router/ /app/router/

# The base image's `node` user (uid 1000), numeric for Kubernetes' runAsNonRoot. npm writes its
# cache/logs under $HOME: point both at /tmp so that the root filesystem can be read-only.
USER 1000:1000
ENV HOME=/tmp \
    NPM_CONFIG_CACHE=/tmp/.npm \
    AGORA_ROUTER_HOST=0.0.0.0 \
    AGORA_ROUTER_PORT=4000 \
    AGORA_ROUTER_GRAPHIQL=false \
    AGORA_ROUTER_INTROSPECTION=false
EXPOSE 4000

# `npm start` (router/package.json) runs the hive-gateway CLI:
#   hive-gateway supergraph /app/schema/supergraph.graphql with router/gateway.config.*,
# host/port/subgraph URLs from the AGORA_ROUTER_* / AGORA_SUBGRAPH_URL_* environment.
CMD ["npm", "start"]
