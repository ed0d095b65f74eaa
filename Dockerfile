# Attest container image.
#   docker build -t attest .
#   docker run --env-file .env -p 3000:3000 -v attestdata:/data attest
# docker-compose.yml builds this image and runs it next to PostgreSQL.

ARG NODE_IMAGE=node:24-slim

# ---- build: full dependencies, compile TypeScript to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# --ignore-scripts: the only install scripts belong to dev tools (the `node` binary package,
# @parcel/watcher); the base image already has Node 24 and `nest build` needs neither.
# `npm install` with the committed lockfile rather than `npm ci`: the lockfile is produced on a
# registry mirror without other platforms' optional binaries, which `npm ci` insists on.
COPY package.json package-lock.json ./
RUN npm install --ignore-scripts --no-audit --no-fund

COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies only, non-root ----
FROM ${NODE_IMAGE} AS runtime

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force

COPY --from=build /app/dist ./dist
COPY views ./views
COPY policies ./policies

# DATA_DIR. Mount a volume here (docker-compose.yml mounts `attestdata`); a new named volume
# takes this directory's owner, so the node user can write to it.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data

# The application files stay owned by root: the app cannot modify its own code.
USER node

EXPOSE 3000

# slim images have no curl: ask Node itself. /healthz answers 200 while the process serves.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Database migrations: `node dist/cli/attest.js migrate` (the compose `migrate` service runs it).
CMD ["node", "dist/main.js"]
