# The naive Dockerfile: one stage, the whole project copied before the build; it also has to set
# the listen address, or the server is unreachable.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN go build -o /app/statusboard .
ENV STATUSBOARD_HTTP_ADDR=0.0.0.0:8133
EXPOSE 8133
CMD ["/app/statusboard"]
