package io.pricecast.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Everything the local stack needs to know, loaded once from environment variables.
 *
 * <p>Every variable has a documented default (README, "Configuration"); tests build configs with
 * {@link #forTests(Path, PortAllocator)} so they never collide with a running {@code ./pricecast up}.
 *
 * @param home                 state directory: data, logs, pid files, generated configs
 * @param nodes                1 (one broker, one Cassandra node, one instance of each service) or 3 (a cluster: node
 *                             {@code n} is broker {@code n} and Cassandra node {@code n} on the loopback address
 *                             {@code 127.0.0.n}, and ingest, scoring and the sink run twice); docs/reliability.md
 * @param kafkaPort            broker PLAINTEXT port
 * @param kafkaControllerPort  KRaft controller port
 * @param cassandraPort        CQL native transport port
 * @param cassandraStoragePort Cassandra inter-node port (bound even on a single node)
 * @param registryPort         schema registry HTTP port
 * @param ingestPort           ingest-service HTTP port (uploads)
 * @param scoringPort          scoring-streams HTTP port (health, metrics)
 * @param sinkPort             sink-service HTTP port (pred URL, lineage)
 * @param modelsPort           models service HTTP port (model registry, retraining)
 * @param predictPort          predict service HTTP port (POST /predict, POST /predict.csv)
 * @param ingest2Port          the second ingest instance's HTTP port (3 nodes only)
 * @param scoring2Port         the second scoring instance's HTTP port (3 nodes only)
 * @param sink2Port            the second sink instance's HTTP port (3 nodes only)
 * @param prometheusPort       Prometheus HTTP port, when the stack has monitoring ({@code ./pricecast up --monitoring})
 * @param partitions           partitions of the partitioned topics of the catalogue
 * @param keyspace             the pricecast keyspace
 * @param startTimeout         how long a component may take to become healthy
 * @param stopTimeout          how long a component may take to stop after SIGTERM before it is killed
 * @param kafkaHeap            broker -Xmx
 * @param cassandraHeap        Cassandra -Xmx
 * @param cassandraSettings    {@code cassandra.yaml} settings that replace or add to the generated ones
 *                             ({@code PRICECAST_CASSANDRA_SETTINGS}: {@code key: value} pairs separated by {@code ;})
 * @param registryHeap         schema registry -Xmx
 * @param serviceHeap          -Xmx of each pricecast service
 * @param serverJavaHome       the JDK that runs the servers (Cassandra 5.0 needs 11 or 17)
 * @param prometheusBinary     the Prometheus server executable (a path, or a name looked up on PATH)
 * @param scrapeInterval       how often Prometheus scrapes the services and evaluates the rules (e.g. {@code 15s})
 * @param runId                optional marker put on every child's command line so CI can reap them
 */
public record StackConfig(
        Path home,
        int nodes,
        int kafkaPort,
        int kafkaControllerPort,
        int cassandraPort,
        int cassandraStoragePort,
        int registryPort,
        int ingestPort,
        int scoringPort,
        int sinkPort,
        int modelsPort,
        int predictPort,
        int ingest2Port,
        int scoring2Port,
        int sink2Port,
        int prometheusPort,
        int partitions,
        String keyspace,
        Duration startTimeout,
        Duration stopTimeout,
        String kafkaHeap,
        String cassandraHeap,
        Map<String, String> cassandraSettings,
        String registryHeap,
        String serviceHeap,
        Path serverJavaHome,
        String prometheusBinary,
        String scrapeInterval,
        Optional<String> runId) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_CASSANDRA_PORT = 9042;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_PROMETHEUS_PORT = 9090;
    public static final int DEFAULT_PARTITIONS = 6;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The node counts a stack can have: one of everything, or the cluster. */
    public static final List<Integer> NODE_COUNTS = List.of(1, 3);
    /** The file in which a home records the node count its data was made with. */
    static final String NODES_FILE = "cluster.nodes";

    /**
     * Reads the configuration from environment variables.
     *
     * @param env         the environment (usually {@code System.getenv()})
     * @param defaultHome the state directory used when {@code PRICECAST_HOME} is not set
     * @return the configuration
     */
    public static StackConfig fromEnvironment(Map<String, String> env, Path defaultHome) {
        Settings s = new Settings(env);
        int kafkaPort = s.port("PRICECAST_KAFKA_PORT", DEFAULT_KAFKA_PORT);
        int cassandraPort = s.port("PRICECAST_CASSANDRA_PORT", DEFAULT_CASSANDRA_PORT);
        Path home = Path.of(s.text("PRICECAST_HOME", defaultHome.toString()))
                .toAbsolutePath()
                .normalize();
        return new StackConfig(
                home,
                nodes(s.text(
                        "PRICECAST_NODES", Integer.toString(recordedNodes(home).orElse(1)))),
                kafkaPort,
                s.port("PRICECAST_KAFKA_CONTROLLER_PORT", kafkaPort + 1),
                cassandraPort,
                s.port("PRICECAST_CASSANDRA_STORAGE_PORT", 7000),
                s.port("PRICECAST_REGISTRY_PORT", DEFAULT_REGISTRY_PORT),
                s.port("PRICECAST_INGEST_PORT", 8082),
                s.port("PRICECAST_SCORING_PORT", 8083),
                s.port("PRICECAST_SINK_PORT", 8084),
                s.port("PRICECAST_MODELS_PORT", 8085),
                s.port("PRICECAST_PREDICT_PORT", 8086),
                s.port("PRICECAST_INGEST_2_PORT", 8182),
                s.port("PRICECAST_SCORING_2_PORT", 8183),
                s.port("PRICECAST_SINK_2_PORT", 8184),
                s.port("PRICECAST_PROMETHEUS_PORT", DEFAULT_PROMETHEUS_PORT),
                s.positive("PRICECAST_PARTITIONS", DEFAULT_PARTITIONS),
                s.text("PRICECAST_KEYSPACE", "pricecast"),
                Duration.ofSeconds(
                        s.positive("PRICECAST_START_TIMEOUT_SECONDS", (int) DEFAULT_START_TIMEOUT.toSeconds())),
                Duration.ofSeconds(
                        s.positive("PRICECAST_STOP_TIMEOUT_SECONDS", (int) DEFAULT_STOP_TIMEOUT.toSeconds())),
                s.text("PRICECAST_KAFKA_HEAP", "512m"),
                s.text("PRICECAST_CASSANDRA_HEAP", "1g"),
                cassandraSettings(s.text("PRICECAST_CASSANDRA_SETTINGS", "")),
                s.text("PRICECAST_REGISTRY_HEAP", "384m"),
                s.text("PRICECAST_SERVICE_HEAP", "512m"),
                Path.of(s.text("PRICECAST_SERVER_JAVA_HOME", System.getProperty("java.home"))),
                s.text("PRICECAST_PROMETHEUS_BIN", "prometheus"),
                scrapeInterval(s.text("PRICECAST_PROMETHEUS_SCRAPE_INTERVAL", "15s")),
                Optional.ofNullable(env.get("PRICECAST_RUN_ID")).filter(v -> !v.isBlank()));
    }

    /**
     * @param text the node count asked for ({@code PRICECAST_NODES} or {@code up --nodes})
     * @return it
     * @throws IllegalArgumentException when it is not one of {@link #NODE_COUNTS}
     */
    static int nodes(String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (NODE_COUNTS.contains(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("PRICECAST_NODES=" + text
                + " is not a node count the local stack runs: 1 (one of everything) or 3 (a cluster of three brokers"
                + " and three Cassandra nodes, two instances of ingest, scoring and the sink)");
    }

    /**
     * @param home a state directory
     * @return the node count its data was made with: the one recorded at its first {@code up}, or 1 for a home made
     *     before the count was recorded (it has Kafka data but no record); empty for a fresh home
     */
    public static Optional<Integer> recordedNodes(Path home) {
        Path file = home.resolve(NODES_FILE);
        try {
            if (Files.exists(file)) {
                return Optional.of(Integer.parseInt(Files.readString(file).strip()));
            }
        } catch (IOException | NumberFormatException e) {
            throw new StackException(
                    "cannot read " + file + " (the node count of this PRICECAST_HOME): " + e.getMessage()
                            + "; delete it if the home holds no data",
                    e);
        }
        return Files.isDirectory(home.resolve("data").resolve("kafka")) ? Optional.of(1) : Optional.empty();
    }

    /**
     * @param count a node count of {@link #NODE_COUNTS}
     * @return this configuration with that node count ({@code ./pricecast up --nodes})
     */
    public StackConfig withNodes(int count) {
        nodes(Integer.toString(count));
        return new StackConfig(
                home,
                count,
                kafkaPort,
                kafkaControllerPort,
                cassandraPort,
                cassandraStoragePort,
                registryPort,
                ingestPort,
                scoringPort,
                sinkPort,
                modelsPort,
                predictPort,
                ingest2Port,
                scoring2Port,
                sink2Port,
                prometheusPort,
                partitions,
                keyspace,
                startTimeout,
                stopTimeout,
                kafkaHeap,
                cassandraHeap,
                cassandraSettings,
                registryHeap,
                serviceHeap,
                serverJavaHome,
                prometheusBinary,
                scrapeInterval,
                runId);
    }

    /**
     * @param node a node number, 1 to {@link #nodes}
     * @return the loopback address its broker and Cassandra node listen on: {@code 127.0.0.<node>}
     */
    public String host(int node) {
        return "127.0.0." + node;
    }

    /**
     * @param server a server's name ("kafka", "cassandra")
     * @param node   its node number
     * @return the component of that node: the server's name for node 1, as on one node, then {@code kafka-2}, ...
     */
    public static String nodeComponent(String server, int node) {
        return node == 1 ? server : server + "-" + node;
    }

    /** @return the replication factor of every topic and of the keyspace: 1 on one node, 3 on the cluster */
    public int replicationFactor() {
        return Math.min(nodes, 3);
    }

    /** @return {@code min.insync.replicas} of every topic: 1 on one node, 2 on the cluster */
    public int minInsyncReplicas() {
        return nodes == 1 ? 1 : 2;
    }

    /** @return every Cassandra node's CQL address, {@code host:port,...} ({@code PRICECAST_CASSANDRA_CONTACT}) */
    public String cassandraContacts() {
        return nodeAddresses(cassandraPort);
    }

    /**
     * @param port a port every node listens on
     * @return {@code host:port} of every node, comma-separated
     */
    String nodeAddresses(int port) {
        return nodeNumbers().mapToObj(n -> host(n) + ":" + port).collect(Collectors.joining(","));
    }

    /** @return the node numbers, 1 to {@link #nodes} */
    public IntStream nodeNumbers() {
        return IntStream.rangeClosed(1, nodes);
    }

    /**
     * @param text a Prometheus duration of whole seconds, minutes or hours ({@code 1s}, {@code 15s}, {@code 1m})
     * @return it
     * @throws IllegalArgumentException naming the variable when it is not one
     */
    static String scrapeInterval(String text) {
        if (!text.matches("[1-9][0-9]*[smh]")) {
            throw new IllegalArgumentException(
                    "PRICECAST_PROMETHEUS_SCRAPE_INTERVAL=" + text + " is not a duration such as 15s, 1m or 1h");
        }
        return text;
    }

    /**
     * @param text {@code key: value} pairs separated by {@code ;} (a value may be a YAML flow mapping)
     * @return them in order
     * @throws StackException naming the pair that is not {@code key: value}
     */
    static Map<String, String> cassandraSettings(String text) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0 || !pair.substring(0, colon).strip().matches("[a-z_]+")) {
                throw new StackException("PRICECAST_CASSANDRA_SETTINGS: '" + pair.strip()
                        + "' is not 'key: value' of a " + "cassandra.yaml setting");
            }
            settings.put(
                    pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
        }
        return Map.copyOf(settings);
    }

    /**
     * A configuration for an isolated test stack: its own state directory and free ports.
     *
     * @param home  a fresh directory
     * @param ports where free ports come from
     * @return the configuration
     */
    public static StackConfig forTests(Path home, PortAllocator ports) {
        return fromEnvironment(testEnvironment(home, ports), home);
    }

    /**
     * The environment of an isolated test stack: this process's, plus its own state directory and free ports. The
     * launcher ({@code ./pricecast status}, {@code down}, ...) run with it acts on that stack.
     *
     * @param home  a fresh directory
     * @param ports where free ports come from
     * @return the environment
     */
    public static Map<String, String> testEnvironment(Path home, PortAllocator ports) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("PRICECAST_HOME", home.toString());
        env.put("PRICECAST_KAFKA_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_KAFKA_CONTROLLER_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_CASSANDRA_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_CASSANDRA_STORAGE_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_REGISTRY_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_INGEST_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_SCORING_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_SINK_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_MODELS_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_PREDICT_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_INGEST_2_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_SCORING_2_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_SINK_2_PORT", Integer.toString(ports.next()));
        env.put("PRICECAST_PROMETHEUS_PORT", Integer.toString(ports.next()));
        env.putIfAbsent("PRICECAST_PROMETHEUS_SCRAPE_INTERVAL", "1s");
        env.putIfAbsent("PRICECAST_PARTITIONS", "3");
        env.putIfAbsent("PRICECAST_CASSANDRA_HEAP", "768m");
        return Map.copyOf(env);
    }

    /** @return the brokers' addresses clients bootstrap from, {@code host:port,...} */
    public String kafkaBootstrap() {
        return nodeAddresses(kafkaPort);
    }

    /** @return the schema registry's base URL */
    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    /** @return the file holding the models service's token (created with a random value at the first start) */
    public Path modelsTokenFile() {
        return home.resolve("models.token");
    }

    /** @return Prometheus's base URL, when the stack has monitoring */
    public String prometheusUrl() {
        return "http://127.0.0.1:" + prometheusPort;
    }

    /** @return the file whose presence gives this stack Prometheus ({@code ./pricecast up --monitoring}) */
    public Path monitoringFlag() {
        return home.resolve("monitoring.enabled");
    }

    /** @return where logs go */
    public Path logDir() {
        return home.resolve("logs");
    }

    /** @return where pid files go */
    public Path runDir() {
        return home.resolve("run");
    }

    /** @return where generated server configs go */
    public Path confDir() {
        return home.resolve("conf");
    }

    /** @return where server data goes */
    public Path dataDir() {
        return home.resolve("data");
    }

    private record Settings(Map<String, String> env) {
        String text(String name, String fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        int positive(String name, int fallback) {
            String v = text(name, Integer.toString(fallback));
            try {
                int n = Integer.parseInt(v);
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "=" + v + " is not a positive whole number");
            }
        }

        int port(String name, int fallback) {
            int p = positive(name, fallback);
            if (p > 65535) {
                throw new IllegalArgumentException(name + "=" + p + " is not a TCP port (1-65535)");
            }
            return p;
        }
    }
}
