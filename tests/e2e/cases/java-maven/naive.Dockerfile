# The naive Dockerfile: one stage, the whole project copied before the build.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN mvn --batch-mode -DskipTests package dependency:copy-dependencies -DoutputDirectory=target/lib
EXPOSE 8141
CMD ["java", "-cp", "target/inventory-1.0.0.jar:target/lib/*", "com.example.e2e.Main"]
