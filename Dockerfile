# The Throughline app image: one image for app nodes (`serve`), workers (`worker`) and migrations.
# Unverified on the development machine (no registry access for base images); see docs/scaling.md.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx next build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["node", "bin/throughline.js", "serve", "--no-build", "--host", "0.0.0.0", "--port", "3000"]
