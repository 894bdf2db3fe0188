package io.pricecast.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Apicurio Registry 3.0 with durable H2 file storage, serving both its own API and the
 * Confluent-compatible one. At start it registers the contracts' schemas (BACKWARD compatibility).
 */
final class RegistryComponent implements Component {

    static final String NAME = "registry";

    private final StackConfig config;
    private final Path dataDir;

    RegistryComponent(StackConfig config) {
        this.config = config;
        this.dataDir = config.dataDir().resolve(NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Integer> ports() {
        return List.of(config.registryPort());
    }

    @Override
    public int mainPort() {
        return config.registryPort();
    }

    @Override
    public Path logFile() {
        return config.logDir().resolve("registry.log");
    }

    @Override
    public void prepare(JavaRuntime java) throws IOException {
        Files.createDirectories(dataDir);
    }

    @Override
    public List<String> command(JavaRuntime java) {
        return List.of(
                java.executable(),
                "-Xms64m",
                "-Xmx" + config.registryHeap(),
                "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + config.registryPort(),
                "-Dapicurio.storage.kind=sql",
                "-Dapicurio.storage.sql.kind=h2",
                "-Dapicurio.datasource.url=jdbc:h2:file:" + dataDir.resolve("registry"),
                "-jar",
                ServerClasspath.of(NAME));
    }

    @Override
    public Health check(Duration timeout) {
        return HttpHealth.check(
                config.registryPort(), config.registryUrl() + "/health/ready", "Apicurio Registry ready", timeout);
    }

    @Override
    public void initialize() {
        SystemInit.registerSchemas(config.registryUrl());
    }
}
