# Stands in for maven:X-eclipse-temurin-Y: Debian's OpenJDK 17 and Maven 3.8.7 with JAVA_HOME and
# MAVEN_HOME as in the official image. No Maven repository is reachable from the test machines, so
# Maven's global settings mirror every repository to Debian's packaged one (/usr/share/maven-repo),
# filled with the plugin packages a plain jar build needs and the two libraries the e2e Java app uses
# (gson; commons-lang3 for its dependency change). Projects must pin plugin versions Debian packages;
# anything else (e.g. Spring Boot, which Debian does not package) cannot resolve here.
ARG BASE
FROM ${BASE}
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates openjdk-17-jdk-headless maven \
      libmaven-clean-plugin-java libmaven-compiler-plugin-java libmaven-dependency-plugin-java \
      libmaven-deploy-plugin-java libmaven-install-plugin-java libmaven-jar-plugin-java \
      libmaven-resources-plugin-java libmaven-site-plugin-java libsurefire-java \
      libgoogle-gson-java libcommons-lang3-java \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && mkdir -p /opt/java \
 && ln -s /usr/lib/jvm/java-17-openjdk-amd64 /opt/java/openjdk \
 && printf '%s\n' '<settings>' '  <mirrors>' '    <mirror>' '      <id>debian</id>' \
      '      <url>file:///usr/share/maven-repo</url>' '      <mirrorOf>*</mirrorOf>' '    </mirror>' \
      '  </mirrors>' '</settings>' > /usr/share/maven/conf/settings.xml
ENV JAVA_HOME=/opt/java/openjdk \
    MAVEN_HOME=/usr/share/maven \
    MAVEN_CONFIG=/root/.m2 \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
RUN java -version && mvn -version
