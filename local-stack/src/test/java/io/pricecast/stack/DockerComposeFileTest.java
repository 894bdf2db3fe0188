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
            assertThat(block)
                    .as("compose service " + service.name())
                    .contains("MAIN: " + service.mainClass())
                    .contains("healthcheck:")
                    // one host port, or a range of them for a replicated service ("8086-8087:8086")
                    .containsPattern("\"" + service.mainPort() + "(-\\d+)?:" + service.mainPort() + "\"")
                    .contains("depends_on: *after-init");
        }
        assertThat(serviceBlock(compose, "predict")).contains("replicas: 2").contains("\"8086-8087:8086\"");
        // ... and *after-init waits for the init step to finish and the servers to be healthy
        assertThat(compose)
                .containsPattern(
                        "(?s)x-after-init: &after-init\\n  init:\\n    condition: service_completed_successfully");
    }

    @Test
    void composeHasTheServersWithHealthchecksVolumesAndTheInitStep() throws IOException {
        String compose = Files.readString(COMPOSE);
        for (String server : List.of("kafka", "cassandra", "registry")) {
            assertThat(serviceBlock(compose, server))
                    .as(server)
                    .contains("healthcheck:")
                    .contains("volumes:");
        }
        assertThat(serviceBlock(compose, "kafka"))
                .contains("image: apache/kafka:")
                .contains("INTERNAL://kafka:29092")
                .contains("HOST://localhost:9092");
        assertThat(serviceBlock(compose, "cassandra")).contains("image: cassandra:5.0");
        assertThat(serviceBlock(compose, "registry")).contains("image: apicurio/apicurio-registry:3.0");
        assertThat(serviceBlock(compose, "init"))
                .contains("MAIN: io.pricecast.stack.cli.PricecastCommand")
                .contains("command: [\"init\"");
    }

    @Test
    void composeAuthenticatesEveryKafkaAndCassandraClient() throws IOException {
        String compose = Files.readString(COMPOSE);
        String kafka = serviceBlock(compose, "kafka");
        assertThat(kafka)
                .contains("INTERNAL:SASL_PLAINTEXT,HOST:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                .contains("KAFKA_SASL_ENABLED_MECHANISMS: PLAIN")
                .contains("KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL: PLAIN")
                .contains("KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG")
                .contains("KAFKA_LISTENER_NAME_HOST_PLAIN_SASL_JAAS_CONFIG")
                .contains("user_pricecast=\"${PRICECAST_KAFKA_PASSWORD:-")
                .contains("--command-config /etc/pricecast/kafka-client.properties");
        assertThat(serviceBlock(compose, "cassandra"))
                .contains("s/AllowAllAuthenticator/PasswordAuthenticator/")
                .contains("cqlsh -u ");
        // every service and the init step get the same client credentials
        assertThat(compose)
                .contains("PRICECAST_KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT")
                .contains("PRICECAST_KAFKA_SASL_USERNAME: pricecast")
                .contains("PRICECAST_KAFKA_SASL_PASSWORD: ${PRICECAST_KAFKA_PASSWORD:-")
                .contains("PRICECAST_CASSANDRA_USERNAME: ${PRICECAST_CASSANDRA_USERNAME:-")
                .contains("PRICECAST_CASSANDRA_PASSWORD: ${PRICECAST_CASSANDRA_PASSWORD:-");
        for (String service : List.of("ingest", "scoring", "sink", "models", "predict")) {
            assertThat(serviceBlock(compose, service)).as(service).contains("<<: *service-env");
        }
        assertThat(serviceBlock(compose, "init")).contains("environment: *service-env");
        String tools = Files.readString(Path.of("..", "docker", "kafka-client.properties"));
        assertThat(tools)
                .contains("security.protocol=SASL_PLAINTEXT")
                .contains("password=\"${env:PRICECAST_KAFKA_ADMIN_PASSWORD}\"");
    }

    /** The servers' images are the versions the local stack runs (the poms' properties): a bump of one moves both. */
    @Test
    void composeImageTagsAreThePomsServerVersions() throws IOException {
        String compose = Files.readString(COMPOSE);
        String pom = Files.readString(Path.of("..", "pom.xml"));
        assertThat(serviceBlock(compose, "kafka"))
                .contains("image: apache/kafka:" + property(pom, "kafka.version") + "\n");
        assertThat(serviceBlock(compose, "cassandra"))
                .contains("image: cassandra:" + property(pom, "cassandra.version") + "\n");
        assertThat(serviceBlock(compose, "registry"))
                .contains("image: apicurio/apicurio-registry:" + property(pom, "apicurio-registry-app.version") + "\n");
    }

    @Test
    void composeMonitorsEveryServiceWithTheRulesAndTheDashboard() throws IOException {
        String compose = Files.readString(COMPOSE);
        assertThat(serviceBlock(compose, "prometheus"))
                .contains("./monitoring/prometheus.compose.yml:/etc/prometheus/prometheus.yml")
                .contains("./monitoring/pricecast.rules.yml:/etc/prometheus/pricecast.rules.yml");
        assertThat(serviceBlock(compose, "grafana"))
                .contains("./monitoring/grafana/provisioning:/etc/grafana/provisioning")
                .contains("./monitoring/grafana/pricecast-dashboard.json:/var/lib/grafana/dashboards/");
        String scrape = Files.readString(Path.of("..", "monitoring", "prometheus.compose.yml"));
        StackConfig config = StackConfig.fromEnvironment(Map.of(), Path.of("state"));
        for (ServiceComponent service : ServiceComponent.all(config, Path.of(".."))) {
            // a static target, or (the replicated predict) every address its name resolves to
            assertThat(scrape.contains("\"" + service.name() + ":" + service.mainPort() + "\"")
                            || scrape.contains("names: [\"" + service.name() + "\"]")
                                    && scrape.contains("port: " + service.mainPort()))
                    .as("Prometheus scrapes " + service.name())
                    .isTrue();
        }
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1);
    }

    private static String serviceBlock(String file, String name) {
        int services = file.indexOf("\nservices:\n");
        assertThat(services).as("a services: section").isPositive();
        String compose = file.substring(services + 1);
        Matcher m = Pattern.compile("(?ms)^  " + Pattern.quote(name) + ":\\n(.*?)(?=^  [a-z-]+:\\n|^[a-z]|\\z)")
                .matcher(compose);
        assertThat(m.find()).as("service " + name + " in docker-compose.yml").isTrue();
        return m.group(1);
    }
}
