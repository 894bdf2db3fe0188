package io.pricecast.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        return List.of(java.executable(), "-Xms64m", "-Xmx" + config.registryHeap(), "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + config.registryPort(),
                "-Dapicurio.storage.kind=sql",
                "-Dapicurio.storage.sql.kind=h2",
                "-Dapicurio.datasource.url=jdbc:h2:file:" + dataDir.resolve("registry"),
                "-jar", ServerClasspath.of(NAME));
    }

    @Override
    public Health check(Duration timeout) {
        if (!Ports.isListening(config.registryPort())) {
            return Health.down("port " + config.registryPort() + " not listening");
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(config.registryUrl() + "/health/ready")).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Health.up("Apicurio Registry ready") : Health.down("readiness answered " + r.statusCode());
        } catch (IOException e) {
            return Health.down("not answering: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down("interrupted");
        }
    }

    @Override
    public void initialize() {
        SystemInit.registerSchemas(config.registryUrl());
    }
}
