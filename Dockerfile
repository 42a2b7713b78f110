# One image for both apps; the command picks the role (`record` or `api`).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production WYZE_NVR_DIST=1
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The live view page and player module, served by the API as they are (no build step).
COPY --from=build /app/apps/web ./apps/web
COPY --from=build /app/package.json ./package.json
USER node
ENTRYPOINT ["node", "bin/wyze-nvr.js"]
