# syntax=docker/dockerfile:1
# Builds the worker, the CLI and the stub services with the project's own Maven wrapper on a
# JDK 25, then ships each jar on a JRE 25. StructuredTaskScope is a preview API in 25: the worker
# needs --enable-preview (the CLI and the stubs use no preview feature).

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# Maven reads every <module> of the root pom before it builds anything, so every module is
# copied, even those the images do not ship (benchmark, benchmark-pc, chaos); -pl then builds only the jars the
# images run and the modules they need. DockerBuildIT (producer-cli) builds from exactly these
# COPY lines, minus .dockerignore, in every `./mvnw verify`, so a module added without a COPY
# fails the build, not `docker build`. mvnw sources bin/jdk25-env.
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY bin/jdk25-env bin/
COPY contract contract
COPY kafka-admin kafka-admin
COPY stub-services stub-services
COPY local-kafka local-kafka
COPY test-support test-support
COPY worker worker
COPY producer-cli producer-cli
COPY benchmark benchmark
COPY benchmark-pc benchmark-pc
COPY chaos chaos
RUN ./mvnw -B -ntp -q package -Dmaven.test.skip=true -pl worker,producer-cli,stub-services -am

FROM eclipse-temurin:25-jre AS worker
RUN useradd --system --uid 10001 worker
USER worker
COPY --from=build /src/worker/target/order-worker.jar /app/order-worker.jar
# /metrics (Prometheus), /health/live and /health/ready
EXPOSE 8080
# exec form: the JVM is PID 1 and receives SIGTERM from `docker stop` directly.
ENTRYPOINT ["java", "--enable-preview", "-XX:MaxRAMPercentage=75", "-jar", "/app/order-worker.jar"]

FROM eclipse-temurin:25-jre AS cli
RUN useradd --system --uid 10001 cli
USER cli
COPY --from=build /src/producer-cli/target/order-cli.jar /app/order-cli.jar
ENTRYPOINT ["java", "-jar", "/app/order-cli.jar"]

# The payment, vendor and courier stubs of docker-compose's http profile; flags come from its command.
FROM eclipse-temurin:25-jre AS stubs
RUN useradd --system --uid 10001 stubs
USER stubs
COPY --from=build /src/stub-services/target/stub-services.jar /app/stub-services.jar
ENTRYPOINT ["java", "-jar", "/app/stub-services.jar"]
