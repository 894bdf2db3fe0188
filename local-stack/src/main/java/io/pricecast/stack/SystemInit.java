package io.pricecast.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import io.pricecast.runtime.CassandraCredentials;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.schemas.Keyspace;
import io.pricecast.schemas.Topics;
import io.pricecast.schemas.registry.SchemaRegistrar;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What the system needs to exist before its services start, created idempotently: the catalogue's
 * topics (with the retention of the ones lineage names, applied to existing topics too), the keyspace and the
 * registered schemas. Used by {@code ./pricecast up} (through the
 * components) and by {@code pricecast init} (the docker compose init step), so both create the same.
 */
public final class SystemInit {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Model bundles travel on the compacted models topic: 10,000 symbols of scalers make a ~2 MB bundle. */
    private static final int COMPACTED_MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 65_536;
    /**
     * The retention of the topics the catalogue keeps forever ({@link Topics.Topic#keptForever()}): neither time nor
     * size deletes a record, so every offset a prediction's lineage names stays readable (docs/architecture.md,
     * "Retention").
     */
    public static final Map<String, String> KEPT_FOREVER_CONFIGS = Map.of(
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1");

    private static final long VERIFY_POLL_NANOS = Duration.ofMillis(100).toNanos();

    private SystemInit() {}

    /**
     * Creates the catalogue's missing topics, then sets the retention of every topic the catalogue keeps forever, new
     * or existing (a topic created by an earlier build keeps the broker's default of 7 days until this runs), and
     * waits until the broker reports it. Runs at every {@code ./pricecast up} and {@code pricecast init}.
     *
     * @param bootstrap         Kafka bootstrap servers
     * @param partitions        partitions of the partitioned topics
     * @param replicationFactor replication factor of every topic
     * @return the names of the topics that were created now (existing ones keep their partitions and replication)
     */
    public static List<String> createTopics(String bootstrap, int partitions, short replicationFactor) {
        return createTopics(KafkaAccess.plaintext(bootstrap), partitions, replicationFactor);
    }

    /**
     * @param kafka             Kafka bootstrap servers and security (SASL) settings
     * @param partitions        partitions of the partitioned topics
     * @param replicationFactor replication factor of every topic
     * @return the names of the topics that were created now (existing ones keep their partitions and replication)
     * @see #createTopics(String, int, short)
     */
    public static List<String> createTopics(KafkaAccess kafka, int partitions, short replicationFactor) {
        Properties props = kafka.properties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            for (Topics.Topic t : Topics.ALL) {
                NewTopic nt = new NewTopic(t.name(), t.partitioned() ? partitions : 1, replicationFactor);
                Map<String, String> configs = new HashMap<>();
                if (t.compacted()) {
                    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(COMPACTED_MAX_MESSAGE_BYTES));
                }
                if (t.keptForever()) {
                    configs.putAll(KEPT_FOREVER_CONFIGS);
                }
                topics.add(nt.configs(configs));
            }
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException(
                                "cannot create topic " + entry.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e);
                    }
                } catch (TimeoutException e) {
                    throw new StackException(
                            "creating topic " + entry.getKey() + " timed out after " + TIMEOUT.toSeconds() + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("interrupted creating topics", e);
                }
            }
            keepForever(
                    admin, Topics.KEPT_FOREVER.stream().map(Topics.Topic::name).toList());
        }
        return created;
    }

    /**
     * Sets {@link #KEPT_FOREVER_CONFIGS} on existing topics (idempotent: setting a value a topic has changes nothing)
     * and waits until the broker reports it on each.
     *
     * @param admin  an admin client of the cluster
     * @param topics the topics
     * @throws StackException when the broker refuses the change or does not report it within 30 s
     */
    static void keepForever(Admin admin, Collection<String> topics) {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        for (String topic : topics) {
            ops.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    KEPT_FOREVER_CONFIGS.entrySet().stream()
                            .map(e -> new AlterConfigOp(
                                    new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                            .toList());
        }
        await(admin.incrementalAlterConfigs(ops).all(), "setting the retention of " + topics);
        Map<String, Map<String, String>> expected = new HashMap<>();
        topics.forEach(t -> expected.put(t, KEPT_FOREVER_CONFIGS));
        awaitReported(admin, expected);
    }

    /**
     * Waits until the broker reports the given values of the given topics' configurations. The controller has a
     * change once the admin call returns; a broker serves it once its metadata has caught up (milliseconds).
     *
     * @param admin    an admin client of the cluster
     * @param expected topic → configuration name → value
     * @throws StackException when they are not all reported within 30 s
     */
    static void awaitReported(Admin admin, Map<String, Map<String, String>> expected) {
        List<ConfigResource> resources = expected.keySet().stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                .toList();
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (true) {
            Map<ConfigResource, Config> now =
                    await(admin.describeConfigs(resources).all(), "reading the configuration of " + expected.keySet());
            List<String> pending = now.entrySet().stream()
                    .filter(e -> !expected.get(e.getKey().name()).entrySet().stream()
                            .allMatch(c -> {
                                ConfigEntry entry = e.getValue().get(c.getKey());
                                return entry != null && c.getValue().equals(entry.value());
                            }))
                    .map(e -> e.getKey().name())
                    .sorted()
                    .toList();
            if (pending.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException("the broker does not report the expected configuration of " + pending + " ("
                        + expected + ") " + TIMEOUT.toSeconds() + " s after it accepted the change");
            }
            LockSupport.parkNanos(VERIFY_POLL_NANOS);
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new StackException(what + " failed: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new StackException(what + " timed out after " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted " + what, e);
        }
    }

    /**
     * @param contact           a CQL contact point
     * @param datacenter        its data centre
     * @param keyspace          keyspace name
     * @param replicationFactor replication factor
     */
    public static void createKeyspace(
            InetSocketAddress contact, String datacenter, String keyspace, int replicationFactor) {
        createKeyspace(contact, datacenter, CassandraCredentials.NONE, keyspace, replicationFactor);
    }

    private static OptionsMap requestTimeout() {
        OptionsMap timeout = new OptionsMap();
        timeout.put(TypedDriverOption.REQUEST_TIMEOUT, TIMEOUT);
        return timeout;
    }

    /**
     * @param contact           a CQL contact point
     * @param datacenter        its data centre
     * @param credentials       user name and password when the cluster authenticates
     * @param keyspace          keyspace name
     * @param replicationFactor replication factor
     */
    public static void createKeyspace(
            InetSocketAddress contact,
            String datacenter,
            CassandraCredentials credentials,
            String keyspace,
            int replicationFactor) {
        createKeyspace(List.of(contact), datacenter, credentials, keyspace, replicationFactor);
    }

    /**
     * @param contacts          CQL contact points (any one that answers will do)
     * @param datacenter        their data centre
     * @param credentials       user name and password when the cluster authenticates
     * @param keyspace          keyspace name
     * @param replicationFactor replication factor
     */
    public static void createKeyspace(
            List<InetSocketAddress> contacts,
            String datacenter,
            CassandraCredentials credentials,
            String keyspace,
            int replicationFactor) {
        List<InetSocketAddress> resolved = contacts.stream()
                .map(c -> new InetSocketAddress(c.getHostString(), c.getPort()))
                .toList();
        try (CqlSession session = credentials
                .applyTo(CqlSession.builder()
                        .addContactPoints(resolved)
                        .withLocalDatacenter(datacenter)
                        .withConfigLoader(DriverConfigLoader.compose(
                                DriverConfigLoader.fromMap(requestTimeout()),
                                CqlSessions.driverConfigWithoutSchemaMetadata())))
                .build()) {
            session.execute(Keyspace.createStatement(keyspace, replicationFactor));
        }
    }

    /**
     * @param registryUrl schema registry base URL
     * @return subject → schema id
     */
    public static Map<String, Integer> registerSchemas(String registryUrl) {
        return new SchemaRegistrar(registryUrl).registerAll();
    }
}
