# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN bun install
EXPOSE 8133
CMD ["bun", "index.ts"]
