package io.pricecast.testing;

import io.pricecast.runtime.KafkaAccess;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.ServerClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker whose only client listener is {@code SASL_PLAINTEXT} with the PLAIN mechanism, started
 * as a child JVM from the same Maven-resolved classpath as the local stack's broker. Its users are given at start; user
 * {@value #ADMIN} is the broker's own (inter-broker) login. For tests of client authentication: the rest of
 * {@link RealStack} keeps its plaintext broker.
 *
 * <p>Tests take the run's broker as a parameter of {@link RealStack} ({@link #forRun}): one broker with the users
 * {@value #ADMIN} and {@value #USER}, started once per {@code ./pricecast test} run and shared by every module's test
 * JVM like the run's other servers, or once per JVM outside it.
 */
public final class SaslKafkaBroker implements AutoCloseable {

    public static final String ADMIN = "admin";
    /** The login of the services and clients under test on the run's broker ({@link #forRun}). */
    public static final String USER = "pricecast";
    /** {@value #USER}'s password on the run's broker. */
    public static final String PASSWORD = "pricecast-kafka-s3cret";

    private static final String ADMIN_PASSWORD = "admin-s3cret";
    /** The name of the run directory's files ({@link RunShared}). */
    private static final String SHARED_NAME = "sasl-broker";
    /** The server whose Maven-resolved classpath the broker runs on (servers/kafka-server). */
    private static final String KAFKA_SERVER = "kafka";

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final Duration FORMAT_WITHIN = Duration.ofSeconds(60);

    private final Process process;
    private final String bootstrap;
    private final String adminPassword;
    private final Path log;

    private SaslKafkaBroker(Process process, String bootstrap, String adminPassword, Path log) {
        this.process = process;
        this.bootstrap = bootstrap;
        this.adminPassword = adminPassword;
        this.log = log;
    }

    /**
     * The run's broker: under {@code ./pricecast test} the one an earlier test JVM of the run started (attached to, not
     * owned: closing it leaves it running, and the run stops it by its marker), else a new one under {@code dir}.
     *
     * @return a broker with the users {@value #ADMIN} and {@value #USER}
     */
    static SaslKafkaBroker forRun() {
        Map<String, String> users = Map.of(ADMIN, ADMIN_PASSWORD, USER, PASSWORD);
        String shared = System.getenv(SharedProcessStack.DIR_VARIABLE);
        if (shared == null || shared.isBlank()) {
            try {
                return start(Files.createTempDirectory("pricecast-sasl-"), users);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a SASL broker", e);
            }
        }
        return RunShared.attachOrStart(
                Path.of(shared),
                SHARED_NAME,
                "SASL broker",
                p -> new SaslKafkaBroker(
                        null, p.getProperty("bootstrap"), ADMIN_PASSWORD, Path.of(p.getProperty("log"))),
                SaslKafkaBroker::answers,
                home -> {
                    SaslKafkaBroker started = start(home, users);
                    // attached, not owned: the run's other JVMs use it too, and ./pricecast test stops it by its marker
                    return new SaslKafkaBroker(null, started.bootstrap, ADMIN_PASSWORD, started.log);
                },
                b -> {
                    Properties p = new Properties();
                    p.setProperty("bootstrap", b.bootstrap);
                    p.setProperty("log", b.log.toString());
                    return p;
                });
    }

    private boolean answers() {
        Properties p = clientProperties(ADMIN, adminPassword);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(p)) {
            return !admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Formats storage under {@code dir}, starts the broker and waits until {@value #ADMIN} can describe the cluster.
     *
     * @param dir   data, configuration and log of this broker
     * @param users user name to password; must hold {@value #ADMIN}
     * @return the running broker
     */
    private static SaslKafkaBroker start(Path dir, Map<String, String> users) throws IOException {
        if (!users.containsKey(ADMIN)) {
            throw new IllegalArgumentException("the users must include '" + ADMIN + "', the broker's own login");
        }
        PortAllocator ports = new PortAllocator();
        String listener = "127.0.0.1:" + ports.next();
        String controller = "127.0.0.1:" + ports.next();
        Path data = Files.createDirectories(dir.resolve("data"));
        Path properties = dir.resolve("server.properties");
        Path log = dir.resolve("kafka.log");
        StringBuilder jaas = new StringBuilder(
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"")
                .append(ADMIN)
                .append("\" password=\"")
                .append(users.get(ADMIN))
                .append('"');
        users.forEach((user, password) -> jaas.append(" user_")
                .append(user)
                .append("=\"")
                .append(password)
                .append('"'));
        jaas.append(';');
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@" + controller,
                        "listeners=SASL_PLAINTEXT://" + listener + ",CONTROLLER://" + controller,
                        "advertised.listeners=SASL_PLAINTEXT://" + listener,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=SASL_PLAINTEXT",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                        "sasl.enabled.mechanisms=PLAIN",
                        "sasl.mechanism.inter.broker.protocol=PLAIN",
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config=" + jaas,
                        "log.dirs=" + data,
                        "auto.create.topics.enable=false",
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=3",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=3",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        ""));
        String classpath = ServerClasspath.of(KAFKA_SERVER);
        run(
                ChildJvm.command(
                        "-Xmx256m",
                        "-cp",
                        classpath,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        properties.toString()),
                dir.resolve("format.log"));
        Process process = new ProcessBuilder(ChildJvm.command(
                        "-Xms64m",
                        "-Xmx384m",
                        "-XX:+UseG1GC",
                        "-Djava.awt.headless=true",
                        "-cp",
                        classpath,
                        "kafka.Kafka",
                        properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SaslKafkaBroker broker = new SaslKafkaBroker(process, listener, users.get(ADMIN), log);
        ChildServers.awaitReady(
                process,
                "the SASL broker",
                log,
                READY_WITHIN,
                Duration.ofMillis(500),
                () -> {
                    try (Admin admin = Admin.create(broker.clientProperties(ADMIN, users.get(ADMIN)))) {
                        return !admin.describeCluster()
                                .nodes()
                                .get(5, TimeUnit.SECONDS)
                                .isEmpty();
                    }
                },
                broker::close);
        return broker;
    }

    /** @return the SASL_PLAINTEXT bootstrap address */
    public String bootstrap() {
        return bootstrap;
    }

    /** @return where the broker logs */
    public Path log() {
        return log;
    }

    /**
     * @param user     SASL user
     * @param password its password
     * @return the environment a pricecast service needs to log in as that user ({@link KafkaAccess})
     */
    public Map<String, String> serviceEnvironment(String user, String password) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(KafkaAccess.SECURITY_PROTOCOL, "SASL_PLAINTEXT");
        env.put(KafkaAccess.SASL_MECHANISM, "PLAIN");
        env.put(KafkaAccess.SASL_USERNAME, user);
        env.put(KafkaAccess.SASL_PASSWORD, password);
        return env;
    }

    /** @return client properties (bootstrap and SASL login) of {@code user}, built by the services' own {@link KafkaAccess} */
    public Properties clientProperties(String user, String password) {
        Properties p = KafkaAccess.fromEnvironment(bootstrap, serviceEnvironment(user, password))
                .properties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return p;
    }

    /**
     * @param prefix     readable part of the name
     * @param partitions partition count
     * @return a new topic's unique name, created as {@value #ADMIN}
     */
    public String createTopic(String prefix, int partitions) {
        String name = UniqueNames.topic(prefix);
        try (Admin admin = Admin.create(clientProperties(ADMIN, adminPassword))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            return name;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name + " on the SASL broker", e);
        }
    }

    /** Stops a broker this JVM started; one of the run's, attached to, is left to the run. */
    @Override
    public void close() {
        if (process != null) {
            ChildServers.stop(process);
        }
    }

    private static void run(List<String> command, Path output) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            if (!p.waitFor(FORMAT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting the SASL broker's storage timed out; see " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted formatting the SASL broker's storage", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "formatting the SASL broker's storage failed (exit " + p.exitValue() + "); see " + output);
        }
    }
}
