package io.pricecast.stack;

import io.pricecast.runtime.CassandraCredentials;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.schemas.Keyspace;
import io.pricecast.schemas.Topics;
import io.pricecast.schemas.registry.SchemaRegistrar;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What the system needs to exist before its services start, created idempotently: the catalogue's
 * topics, the keyspace and the registered schemas. Used by {@code ./pricecast up} (through the
 * components) and by {@code pricecast init} (the docker compose init step), so both create the same.
 */
public final class SystemInit {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Model bundles travel on the compacted models topic: 10,000 symbols of scalers make a ~2 MB bundle. */
    private static final int COMPACTED_MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 65_536;

    private SystemInit() {
    }

    /**
     * @param bootstrap         Kafka bootstrap servers
     * @param partitions        partitions of the partitioned topics
     * @param replicationFactor replication factor of every topic
     * @return the names of the topics that were created now (existing ones are left alone)
     */
    public static List<String> createTopics(String bootstrap, int partitions, short replicationFactor) {
        return createTopics(KafkaAccess.plaintext(bootstrap), partitions, replicationFactor);
    }

    /**
     * @param kafka             Kafka bootstrap servers and security (SASL) settings
     * @param partitions        partitions of the partitioned topics
     * @param replicationFactor replication factor of every topic
     * @return the names of the topics that were created now (existing ones are left alone)
     */
    public static List<String> createTopics(KafkaAccess kafka, int partitions, short replicationFactor) {
        Properties props = kafka.properties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            for (Topics.Topic t : Topics.ALL) {
                NewTopic nt = new NewTopic(t.name(), t.partitioned() ? partitions : 1, replicationFactor);
                if (t.compacted()) {
                    nt.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(COMPACTED_MAX_MESSAGE_BYTES)));
                }
                topics.add(nt);
            }
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException("cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
                    }
                } catch (TimeoutException e) {
                    throw new StackException("creating topic " + entry.getKey() + " timed out after " + TIMEOUT.toSeconds() + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("interrupted creating topics", e);
                }
            }
        }
        return created;
    }

    /**
     * @param contact           a CQL contact point
     * @param datacenter        its data centre
     * @param keyspace          keyspace name
     * @param replicationFactor replication factor
     */
    public static void createKeyspace(InetSocketAddress contact, String datacenter, String keyspace, int replicationFactor) {
        createKeyspace(contact, datacenter, CassandraCredentials.NONE, keyspace, replicationFactor);
    }

    /**
     * @param contact           a CQL contact point
     * @param datacenter        its data centre
     * @param credentials       user name and password when the cluster authenticates
     * @param keyspace          keyspace name
     * @param replicationFactor replication factor
     */
    public static void createKeyspace(InetSocketAddress contact, String datacenter, CassandraCredentials credentials,
                                      String keyspace, int replicationFactor) {
        try (CqlSession session = credentials.applyTo(CqlSession.builder().addContactPoint(contact).withLocalDatacenter(datacenter)
                        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, TIMEOUT)
                                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, TIMEOUT)
                                .build()))
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
