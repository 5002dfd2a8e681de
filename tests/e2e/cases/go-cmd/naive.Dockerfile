# The naive Dockerfile: one stage, the whole project copied before the build.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN go build -o /app/server ./cmd/server
EXPOSE 8131
CMD ["/app/server"]
