# Stands in for eclipse-temurin:X-jdk / X-jre: Debian's OpenJDK 17 (headless) with JAVA_HOME at
# /opt/java/openjdk as in the official image. PACKAGE=openjdk-17-jdk-headless|openjdk-17-jre-headless.
ARG BASE
FROM ${BASE}
ARG PACKAGE
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates "${PACKAGE}" \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && mkdir -p /opt/java \
 && ln -s /usr/lib/jvm/java-17-openjdk-amd64 /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
RUN java -version
