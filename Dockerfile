# The production image: built in one stage with every dependency, run in another with the
# production dependencies and the compiled dist/ only, as the unprivileged `node` user.
#
#   docker build -t newsroom .
#   docker run -p 4000:4000 -v newsroom-data:/app/data newsroom
#
# Node 22 LTS on Debian 12 (bookworm), the release line the suite is tested on.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# sqlite3 builds from source where its prebuilt binary cannot be downloaded.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY scripts ./scripts
COPY src ./src
# Compile src/ (tests are not part of the product), then drop the dev dependencies; the
# native sqlite3 build stays as it was compiled above.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    SQLITE_FILE=/app/data/newsroom.sqlite \
    METRICS_PORT=9464 \
    METRICS_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
# 4000: GraphQL, WebSocket, /live, /healthz; 9464: /metrics, to be published only on a private network.
EXPOSE 4000 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--max-semi-space-size=64", "dist/src/main.js"]
