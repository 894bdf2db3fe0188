# One image recipe for the pricecast services and tools (multi-stage: Maven build, then a slim JRE 17).
#   docker build -f docker/service.Dockerfile --build-arg MODULE=sink-service -t pricecast/sink .
# The image runs what ./pricecast runs locally: the module's classes with its resolved runtime classpath.
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${MAVEN_IMAGE} AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests --no-transfer-progress -pl ${MODULE} -am install \
 && mkdir -p /app/lib \
 && cp -r ${MODULE}/target/classes /app/classes \
 && mvn -B -q --no-transfer-progress -pl ${MODULE} dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory=/app/lib
# the DJL PyTorch native library is unpacked here, at build time, into the image's engine cache
ENV DJL_OFFLINE=true ENGINE_CACHE_DIR=/app/djl-cache
RUN if ls /app/lib | grep -q pytorch-native; then \
      java -cp "/app/classes:/app/lib/*" io.pricecast.model.cli.EngineCheckCommand; \
    fi; mkdir -p /app/djl-cache

FROM ${RUNTIME_IMAGE}
ARG MAIN
ENV DJL_OFFLINE=true ENGINE_CACHE_DIR=/app/djl-cache PRICECAST_MAIN=${MAIN} JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError"
COPY --from=build /app /app
RUN useradd --system --uid 10001 pricecast && mkdir -p /state && chown pricecast /state /app/djl-cache
USER pricecast
ENV PRICECAST_STATE_DIR=/state
WORKDIR /app
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/classes:/app/lib/*' \"$PRICECAST_MAIN\" \"$@\"", "--"]
