# syntax=docker/dockerfile:1

# Build stage: full install (better-sqlite3 compiles here), TypeScript build, then drop dev dependencies.
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY openapi ./openapi
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies, the build, the specs and the default fixtures.
FROM node:22-bookworm-slim
# Callers from the host come through the Docker bridge, not loopback: the control plane answers them
# (the CLI prints a warning saying so); with VCONF_ADMIN_TOKEN set, every caller needs the token instead.
ENV NODE_ENV=production \
    VCONF_HOST=0.0.0.0 \
    VCONF_PORT=4010 \
    VCONF_CONTROL_ACCESS=any
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node openapi ./openapi
COPY --chown=node:node fixtures ./fixtures
# A place for a file database (--db /data/emulator.db) that the node user owns: a named volume mounted
# there starts with this owner; a host folder keeps the host's (README, Docker).
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 4010
# The port from the environment, so a container started with another VCONF_PORT is probed where it listens.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.VCONF_PORT + '/_emulator/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/src/cli.js"]
