# The naive Dockerfile: one stage, the whole project copied before the build.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN cargo build --release
EXPOSE 8121
CMD ["/app/target/release/greeter"]
