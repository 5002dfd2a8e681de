# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN corepack enable && pnpm install
EXPOSE 8112
CMD ["node", "src/server.js"]
