# syntax=docker/dockerfile:1
# One image for every lapor-gateway service; the command picks the app:
#   docker run IMAGE node dist/apps/router/main.js     (web-intake, sms-intake, social-intake, router, notifier, embedded)
# Runs as the unprivileged `node` user, writes only below $DATA_DIR (mount a volume or tmpfs there; the
# root filesystem can be read-only), and tini is PID 1 so SIGTERM reaches Node and zombies are reaped.
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Compile: every app bundled to plain JavaScript (dist/apps/<app>/main.js), see webpack.config.js.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json webpack.config.js ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# 2. Production dependencies only (the bundles leave node_modules external).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. Runtime.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/lapor/models \
  && chown -R node:node /var/lib/lapor
ENV NODE_ENV=production \
    PORT=8080 \
    DATA_DIR=/var/lib/lapor \
    ROUTING_MODELS_DIR=/var/lib/lapor/models \
    LAPOR_ROUTING_DATA_DIR=/app/libs/routing/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /src/dist ./dist
# Reference data and the default responsibility rules (ROUTING_RULES_FILE overrides the rules
# without a rebuild; level-2 models are mounted at ROUTING_MODELS_DIR). See README "Operations".
COPY libs/routing/data ./libs/routing/data
# Working-day calendar (cuti bersama per year) and the default deadline policy (docs/deadlines.md).
COPY libs/calendar/data ./libs/calendar/data
COPY libs/deadlines/policy ./libs/deadlines/policy
USER node
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/embedded/main.js"]
