package io.pricecast.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * docker-compose.yml runs the same system as the local stack, docker-compose.ha.yml the same as its 3-node cluster
 * ({@code ./pricecast up --nodes 3}). (Their syntax is checked by {@code docker-compose config} in .ci/run; here, on
 * the parsed files: in both the same services with the same main classes, images and credentials; in the second the
 * cluster.) A service that runs more than once in a file is there as its instances {@code <name>-1},
 * {@code <name>-2}...
 */
class DockerComposeFileTest {

    private static final String COMPOSE = "docker-compose.yml";
    private static final String HA = "docker-compose.ha.yml";
    private static final List<String> SERVERS = List.of("kafka", "cassandra", "registry");
    /** The brokers' listener for the other containers (the host's is 9092). */
    private static final int KAFKA_INTERNAL_PORT = 29092;

    private static final int CQL_PORT = 9042;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {COMPOSE, HA})
    void composeRunsEveryServiceWithTheMainClassTheLocalStackRuns(String file) throws IOException {
        Map<String, Object> services = services(file);
        // ... once init has finished and the servers are healthy
        Map<String, Object> afterInit = new HashMap<>(healthyServers(services));
        afterInit.put("init", Map.of("condition", "service_completed_successfully"));
        for (ServiceComponent service : serviceComponents()) {
            List<String> instances = instances(services, service.name());
            assertThat(instances).as("compose service " + service.name()).isNotEmpty();
            for (int i = 0; i < instances.size(); i++) {
                Map<String, Object> instance = map(services, instances.get(i));
                // the first instance on the local stack's port, or a range of them for a replicated service
                // ("8086-8087:8086"); a second instance 100 above
                String hostPort = Integer.toString(service.mainPort() + 100 * i);
                assertThat(map(instance, "build", "args"))
                        .as(instances.get(i))
                        .containsEntry("MAIN", service.mainClass());
                assertThat(instance).as(instances.get(i)).containsKey("healthcheck");
                assertThat(strings(instance, "ports"))
                        .as(instances.get(i))
                        .anyMatch(p -> p.matches(hostPort + "(-\\d+)?:" + service.mainPort()));
                assertThat(map(instance, "depends_on"))
                        .as(instances.get(i))
                        .containsExactlyInAnyOrderEntriesOf(afterInit);
            }
        }
        assertThat(map(services, "predict", "deploy")).containsEntry("replicas", "2");
        assertThat(strings(map(services, "predict"), "ports")).containsExactly("8086-8087:8086");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {COMPOSE, HA})
    void composeHasTheServersWithHealthchecksVolumesAndTheInitStep(String file) throws IOException {
        Map<String, Object> services = services(file);
        for (String server : SERVERS) {
            List<String> instances = instances(services, server);
            assertThat(instances).as(server).isNotEmpty();
            List<String> dataVolumes = new ArrayList<>();
            for (String instance : instances) {
                assertThat(map(services, instance)).as(instance).containsKey("healthcheck");
                strings(map(services, instance), "volumes").stream()
                        .filter(v -> !v.startsWith("./"))
                        .forEach(dataVolumes::add);
            }
            // each instance its own data
            assertThat(dataVolumes)
                    .as(server + " volumes")
                    .hasSize(instances.size())
                    .doesNotHaveDuplicates();
        }
        for (String broker : instances(services, "kafka")) {
            Map<String, Object> kafka = map(services, broker);
            String hostPort = String.valueOf(
                    hostPorts(strings(kafka, "ports").get(0)).findFirst().orElseThrow());
            assertThat(kafka).extractingByKey("image").asString().startsWith("apache/kafka:");
            assertThat(environment(kafka))
                    .as(broker)
                    .containsEntry(
                            "KAFKA_ADVERTISED_LISTENERS",
                            "INTERNAL://" + broker + ":" + KAFKA_INTERNAL_PORT + ",HOST://localhost:" + hostPort);
        }
        for (String node : instances(services, "cassandra")) {
            assertThat(map(services, node)).extractingByKey("image").asString().startsWith("cassandra:5.0");
        }
        assertThat(map(services, "registry"))
                .extractingByKey("image")
                .asString()
                .startsWith("apicurio/apicurio-registry:3.0");
        Map<String, Object> init = map(services, "init");
        assertThat(map(init, "build", "args")).containsEntry("MAIN", "io.pricecast.stack.cli.PricecastCommand");
        assertThat(strings(init, "command")).startsWith("init");
        assertThat(map(init, "depends_on")).containsExactlyInAnyOrderEntriesOf(healthyServers(services));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {COMPOSE, HA})
    void composeAuthenticatesEveryKafkaAndCassandraClient(String file) throws IOException {
        Map<String, Object> services = services(file);
        for (String broker : instances(services, "kafka")) {
            Map<String, String> kafka = environment(map(services, broker));
            assertThat(kafka)
                    .as(broker)
                    .containsEntry(
                            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                            "INTERNAL:SASL_PLAINTEXT,HOST:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                    .containsEntry("KAFKA_SASL_ENABLED_MECHANISMS", "PLAIN")
                    .containsEntry("KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL", "PLAIN")
                    .containsKey("KAFKA_LISTENER_NAME_HOST_PLAIN_SASL_JAAS_CONFIG");
            assertThat(kafka.get("KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG"))
                    .contains("user_pricecast=\"${PRICECAST_KAFKA_PASSWORD:-");
            assertThat(healthcheck(map(services, broker)))
                    .contains("--command-config /etc/pricecast/kafka-client.properties");
        }
        for (String node : instances(services, "cassandra")) {
            assertThat(String.join(" ", strings(map(services, node), "command")))
                    .contains("s/AllowAllAuthenticator/PasswordAuthenticator/");
            assertThat(healthcheck(map(services, node))).contains("cqlsh -u ");
        }
        // every service and the init step get the same client credentials
        List<String> clients = builtServices(services);
        assertThat(clients).contains("init").hasSizeGreaterThan(1);
        Map<String, String> credentials = Map.of(
                "PRICECAST_KAFKA_SASL_PASSWORD", "${PRICECAST_KAFKA_PASSWORD:-",
                "PRICECAST_CASSANDRA_USERNAME", "${PRICECAST_CASSANDRA_USERNAME:-",
                "PRICECAST_CASSANDRA_PASSWORD", "${PRICECAST_CASSANDRA_PASSWORD:-");
        for (String client : clients) {
            Map<String, String> env = environment(map(services, client));
            assertThat(env)
                    .as(client)
                    .containsEntry("PRICECAST_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("PRICECAST_KAFKA_SASL_USERNAME", "pricecast");
            credentials.forEach((variable, value) ->
                    assertThat(env.get(variable)).as(client + " " + variable).startsWith(value));
        }
    }

    @Test
    void kafkaToolsInTheBrokerContainersAuthenticateAsAdmin() throws IOException {
        String tools = Files.readString(Path.of("..", "docker", "kafka-client.properties"));
        assertThat(tools)
                .contains("security.protocol=SASL_PLAINTEXT")
                .contains("password=\"${env:PRICECAST_KAFKA_ADMIN_PASSWORD}\"");
    }

    /** The servers' images are the versions the local stack runs (the poms' properties): a bump of one moves both. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {COMPOSE, HA})
    void composeImageTagsAreThePomsServerVersions(String file) throws IOException {
        Map<String, Object> services = services(file);
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Map<String, String> images = Map.of(
                "kafka", "apache/kafka:" + property(pom, "kafka.version"),
                "cassandra", "cassandra:" + property(pom, "cassandra.version"),
                "registry", "apicurio/apicurio-registry:" + property(pom, "apicurio-registry-app.version"));
        images.forEach((server, image) -> {
            assertThat(instances(services, server)).as(server).isNotEmpty();
            for (String instance : instances(services, server)) {
                assertThat(map(services, instance)).as(instance).containsEntry("image", image);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {COMPOSE, HA})
    void composeMonitorsEveryServiceWithTheRulesAndTheDashboard(String file) throws IOException {
        Map<String, Object> services = services(file);
        Map<String, Object> prometheus = map(services, "prometheus");
        assertThat(strings(prometheus, "volumes"))
                .contains("./monitoring/prometheus.compose" + (file.equals(HA) ? "-ha" : "")
                        + ".yml:/etc/prometheus/prometheus.yml:ro")
                .contains("./monitoring/pricecast.rules.yml:/etc/prometheus/pricecast.rules.yml:ro");
        assertThat(strings(prometheus, "depends_on"))
                .containsExactlyInAnyOrderElementsOf(serviceComponents().stream()
                        .flatMap(s -> instances(services, s.name()).stream())
                        .toList());
        assertThat(strings(map(services, "grafana"), "volumes"))
                .contains("./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro")
                .anyMatch(v ->
                        v.startsWith("./monitoring/grafana/pricecast-dashboard.json:/var/lib/grafana/dashboards/"));
    }

    /**
     * docker-compose.yml's Prometheus scrapes every service by its compose name; docker-compose.ha.yml's
     * (monitoring/prometheus.compose-ha.yml) scrapes both instances of ingest, scoring and the sink.
     */
    @Test
    void composePrometheusScrapesEveryService() throws IOException {
        String scrape = Files.readString(Path.of("..", "monitoring", "prometheus.compose.yml"));
        for (ServiceComponent service : serviceComponents()) {
            // a static target, or (the replicated predict) every address its name resolves to
            assertThat(scrape.contains("\"" + service.name() + ":" + service.mainPort() + "\"")
                            || scrape.contains("names: [\"" + service.name() + "\"]")
                                    && scrape.contains("port: " + service.mainPort()))
                    .as("Prometheus scrapes " + service.name())
                    .isTrue();
        }
        String haScrape = Files.readString(Path.of("..", "monitoring", "prometheus.compose-ha.yml"));
        for (String service : List.of("ingest", "scoring", "sink")) {
            assertThat(haScrape)
                    .as("the cluster's Prometheus scrapes both instances of " + service)
                    .containsPattern("\\[\"" + service + "-1:\\d+\", \"" + service + "-2:\\d+\"\\]");
        }
        assertThat(haScrape).contains("\"models:8085\"").contains("names: [\"predict\"]");
    }

    /**
     * docker-compose.ha.yml runs the cluster of {@code ./pricecast up --nodes 3}: a 3-voter KRaft quorum of three
     * brokers that replicate every topic 3 times, three Cassandra nodes, two instances each of ingest, scoring (with a
     * standby of the other's stores) and the sink, and every client knows all the nodes.
     */
    @Test
    void haComposeRunsThreeBrokersThreeCassandraNodesAndTwoInstancesOfIngestScoringAndSink() throws IOException {
        Map<String, Object> services = services(HA);
        List<String> brokers = instances(services, "kafka");
        assertThat(brokers).containsExactly("kafka-1", "kafka-2", "kafka-3");
        List<String> voters = new ArrayList<>();
        Set<String> clusterIds = new HashSet<>();
        for (String broker : brokers) {
            Map<String, String> env = environment(map(services, broker));
            voters.add(env.get("KAFKA_NODE_ID") + "@" + broker + ":9093");
            clusterIds.add(env.get("CLUSTER_ID"));
            assertThat(env)
                    .as(broker)
                    .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("KAFKA_BROKER_SESSION_TIMEOUT_MS", "1500")
                    .containsEntry("KAFKA_BROKER_HEARTBEAT_INTERVAL_MS", "200")
                    .containsEntry("KAFKA_CONTROLLER_QUORUM_FETCH_TIMEOUT_MS", "1000")
                    .containsEntry("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS", "1000");
        }
        assertThat(voters).containsExactly("1@kafka-1:9093", "2@kafka-2:9093", "3@kafka-3:9093");
        for (String broker : brokers) {
            assertThat(environment(map(services, broker))
                            .get("KAFKA_CONTROLLER_QUORUM_VOTERS")
                            .split(","))
                    .as(broker + " quorum")
                    .containsExactlyInAnyOrderElementsOf(voters);
        }
        assertThat(clusterIds).as("cluster ids").hasSize(1).doesNotContainNull();

        List<String> cassandra = instances(services, "cassandra");
        assertThat(cassandra).containsExactly("cassandra-1", "cassandra-2", "cassandra-3");
        assertThat(cassandra)
                .map(node -> environment(map(services, node)))
                .as("one cluster")
                .allSatisfy(env -> assertThat(env)
                        .containsEntry("CASSANDRA_CLUSTER_NAME", "pricecast")
                        .containsEntry("CASSANDRA_SEEDS", "cassandra-1,cassandra-2"));
        // the nodes join one at a time
        Map<String, String> healthy = Map.of("condition", "service_healthy");
        assertThat(map(services, "cassandra-2", "depends_on"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cassandra-1", healthy));
        assertThat(map(services, "cassandra-3", "depends_on"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cassandra-1", healthy, "cassandra-2", healthy));

        for (String service : List.of("ingest", "scoring", "sink")) {
            assertThat(instances(services, service)).containsExactly(service + "-1", service + "-2");
        }
        for (String scoring : instances(services, "scoring")) {
            assertThat(environment(map(services, scoring)))
                    .as(scoring)
                    .containsEntry("PRICECAST_SCORING_STANDBY_REPLICAS", "1");
        }
        // the ingest instances' transactional ids are their own
        assertThat(instances(services, "ingest").stream()
                        .map(ingest -> environment(map(services, ingest)).get("PRICECAST_INSTANCE_ID")))
                .doesNotContainNull()
                .doesNotHaveDuplicates();
        // every host port (the second instances' among them) published once
        assertThat(services.keySet().stream()
                        .flatMap(name -> ports(map(services, name)).stream())
                        .flatMap(p -> hostPorts(p).boxed()))
                .doesNotHaveDuplicates();

        List<String> bootstrap =
                brokers.stream().map(b -> b + ":" + KAFKA_INTERNAL_PORT).toList();
        List<String> contacts = cassandra.stream().map(c -> c + ":" + CQL_PORT).toList();
        for (String client : builtServices(services)) {
            Map<String, String> env = environment(map(services, client));
            assertThat(env.get("PRICECAST_KAFKA_BOOTSTRAP").split(","))
                    .as(client + " bootstrap")
                    .containsExactlyInAnyOrderElementsOf(bootstrap);
            assertThat(env.get("PRICECAST_CASSANDRA_CONTACT").split(","))
                    .as(client + " Cassandra contact points")
                    .containsExactlyInAnyOrderElementsOf(contacts);
        }
        assertThat(strings(map(services, "init"), "command"))
                .containsSequence("--kafka", String.join(",", bootstrap))
                .containsSequence("--cassandra", String.join(",", contacts))
                .containsSequence("--replication-factor", "3");
    }

    private static List<ServiceComponent> serviceComponents() {
        return ServiceComponent.all(StackConfig.fromEnvironment(Map.of(), Path.of("state")), Path.of(".."));
    }

    private static Map<String, Object> services(String file) throws IOException {
        return map(yaml().load(Files.readString(Path.of("..", file))), "services");
    }

    /** @return the service {@code name}, or its instances {@code name-1}, {@code name-2}..., in the file's order */
    private static List<String> instances(Map<String, Object> services, String name) {
        Pattern instance = Pattern.compile(Pattern.quote(name) + "(-\\d+)?");
        return services.keySet().stream()
                .filter(s -> instance.matcher(s).matches())
                .toList();
    }

    /** @return the services built from docker/service.Dockerfile: pricecast's services and the init step */
    private static List<String> builtServices(Map<String, Object> services) {
        return services.keySet().stream()
                .filter(name -> map(services, name).containsKey("build"))
                .toList();
    }

    /** @return every server instance, healthy: what the init step waits for */
    private static Map<String, Object> healthyServers(Map<String, Object> services) {
        Map<String, Object> healthy = new HashMap<>();
        for (String server : SERVERS) {
            instances(services, server).forEach(i -> healthy.put(i, Map.of("condition", "service_healthy")));
        }
        return healthy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> node, String... path) {
        Object value = node;
        for (String key : path) {
            assertThat(value).as(key + "'s parent").isInstanceOf(Map.class);
            value = ((Map<String, Object>) value).get(key);
        }
        assertThat(value).as(String.join(".", path)).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /** @return a list of scalars (every scalar is a string) */
    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> node, String key) {
        assertThat(node.get(key)).as(key).isInstanceOf(List.class);
        return (List<String>) node.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        return (Map<String, String>) (Map<String, ?>) map(service, "environment");
    }

    private static List<String> ports(Map<String, Object> service) {
        return service.containsKey("ports") ? strings(service, "ports") : List.of();
    }

    /** @return the host ports of a ports entry: {@code "8082:8082"} one, {@code "8086-8087:8086"} a range */
    private static IntStream hostPorts(String entry) {
        String[] range = entry.substring(0, entry.indexOf(':')).split("-");
        return IntStream.rangeClosed(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]));
    }

    private static String healthcheck(Map<String, Object> service) {
        return String.join(" ", strings(map(service, "healthcheck"), "test"));
    }

    /** @return a YAML reader that keeps every scalar a string, as compose reads them, and resolves merge keys */
    private static Yaml yaml() {
        var loading = new LoaderOptions();
        var dumping = new DumperOptions();
        return new Yaml(new SafeConstructor(loading), new Representer(dumping), dumping, loading, new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(Tag.MERGE, MERGE, "<");
                addImplicitResolver(Tag.NULL, EMPTY, null);
            }
        });
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1);
    }
}
