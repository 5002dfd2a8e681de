# Stands in for eclipse-temurin:X-jdk / X-jre: Debian's OpenJDK (headless; 17 on bookworm, 21 on
# trixie) with JAVA_HOME at /opt/java/openjdk as in the official image, and curl and wget as the
# official (Ubuntu-based) image has. PACKAGE=openjdk-N-jdk-headless|openjdk-N-jre-headless.
ARG BASE
FROM ${BASE}
ARG PACKAGE
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl wget "${PACKAGE}" \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && mkdir -p /opt/java \
 && ln -s /usr/lib/jvm/java-[0-9][0-9]-openjdk-amd64 /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
RUN java -version
