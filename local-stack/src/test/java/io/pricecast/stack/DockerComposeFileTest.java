package io.pricecast.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml runs the same system as the local stack. (Its syntax is checked by
 * {@code docker-compose config} in .ci/run; here: the same services with the same main classes.)
 */
class DockerComposeFileTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @Test
    void composeRunsEveryServiceWithTheMainClassTheLocalStackRuns() throws IOException {
        String compose = Files.readString(COMPOSE);
        StackConfig config = StackConfig.fromEnvironment(Map.of(), Path.of("state"));
        for (ServiceComponent service : ServiceComponent.all(config, Path.of(".."))) {
            String block = serviceBlock(compose, service.name());
            assertThat(block).as("compose service " + service.name())
                    .contains("MAIN: " + service.mainClass())
                    .contains("healthcheck:")
                    .contains("\"" + service.mainPort() + ":" + service.mainPort() + "\"")
                    .contains("depends_on: *after-init");
        }
        // ... and *after-init waits for the init step to finish and the servers to be healthy
        assertThat(compose).containsPattern("(?s)x-after-init: &after-init\\n  init:\\n    condition: service_completed_successfully");
    }

    @Test
    void composeHasTheServersWithHealthchecksVolumesAndTheInitStep() throws IOException {
        String compose = Files.readString(COMPOSE);
        for (String server : List.of("kafka", "cassandra", "registry")) {
            assertThat(serviceBlock(compose, server)).as(server).contains("healthcheck:").contains("volumes:");
        }
        assertThat(serviceBlock(compose, "kafka")).contains("image: apache/kafka:").contains("INTERNAL://kafka:29092")
                .contains("HOST://localhost:9092");
        assertThat(serviceBlock(compose, "cassandra")).contains("image: cassandra:5.0");
        assertThat(serviceBlock(compose, "registry")).contains("image: apicurio/apicurio-registry:3.0");
        assertThat(serviceBlock(compose, "init")).contains("MAIN: io.pricecast.stack.cli.PricecastCommand")
                .contains("command: [\"init\"");
    }

    private static String serviceBlock(String file, String name) {
        int services = file.indexOf("\nservices:\n");
        assertThat(services).as("a services: section").isPositive();
        String compose = file.substring(services + 1);
        Matcher m = Pattern.compile("(?ms)^  " + Pattern.quote(name) + ":\\n(.*?)(?=^  [a-z-]+:\\n|^[a-z]|\\z)").matcher(compose);
        assertThat(m.find()).as("service " + name + " in docker-compose.yml").isTrue();
        return m.group(1);
    }
}
