# One image for every app; docker-compose.yml picks the command per service. Node 22 LTS: the
# @colyseus/* 0.18 packages declare node >= 22 (Node 20.19+ works too, see the README).
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY prisma/package.json prisma/
COPY backend/package.json backend/
COPY game-server/package.json game-server/
COPY web/package.json web/
RUN npm ci --include=dev --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run db:generate && npm run -w web build
USER node
