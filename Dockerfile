# Build: the full Node image has python3, make and g++ for better-sqlite3's native addon.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
# `npm ci` runs the `prepare` script, which compiles src/ to dist/.
RUN npm ci && npm prune --omit=dev

# Run: the slim image, as the unprivileged `node` user, with the database on a volume.
# HOST: a container's loopback is its own, so the server listens on every interface of the
# container; `-p 127.0.0.1:3000:3000` keeps the published port on the host's loopback.
FROM node:20-bookworm-slim
# sqlite3 (Debian's, about 3 MB with its libraries) for what the docs run against the database in
# the container: a look at the quarantine, VACUUM with the bot stopped, as the image's user.
RUN apt-get update \
    && apt-get install -y --no-install-recommends sqlite3 \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATABASE_PATH=/data/mcp-activity.db \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# A start that migrates the database listens only once done (a million events moved by migration
# 0010 took 57-85 s): the start period leaves it 10 minutes before failed checks count.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10m \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/cli.js", "start"]
