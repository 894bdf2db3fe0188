package io.pricecast.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Where the test run's real servers are, and the means to carve out isolated pieces of them:
 * every test takes its own topics and keyspaces with {@link UniqueNames}.
 *
 * @param kafkaBootstrap    broker bootstrap address
 * @param cassandra         CQL contact point
 * @param localDatacenter   the Cassandra data centre clients must name
 * @param registryUrl       schema registry base URL (contracts already registered)
 * @param kind              "local processes" or "testcontainers"
 */
public record StackEndpoints(
        String kafkaBootstrap, InetSocketAddress cassandra, String localDatacenter, String registryUrl, String kind) {

    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    /** @return client properties with only the bootstrap address set */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        return p;
    }

    /** @return the Avro serde factory pointed at this run's registry */
    public io.pricecast.schemas.serde.AvroSerdes serdes() {
        return new io.pricecast.schemas.serde.AvroSerdes(
                io.pricecast.schemas.serde.AvroSerdes.Kind.APICURIO, registryUrl);
    }

    /** @return a new CQL session without schema metadata (the caller closes it) */
    public CqlSession cqlSession() {
        return CqlSession.builder()
                .withConfigLoader(io.pricecast.runtime.CqlSessions.driverConfigWithoutSchemaMetadata())
                .addContactPoint(cassandra)
                .withLocalDatacenter(localDatacenter)
                .build();
    }

    /**
     * Creates a topic with a unique name.
     *
     * @param prefix     readable part of the name
     * @param partitions partition count
     * @param configs    topic configs
     * @return the topic name
     */
    public String createTopic(String prefix, int partitions, Map<String, String> configs) {
        String name = UniqueNames.topic(prefix);
        try (Admin admin = Admin.create(kafkaProperties())) {
            admin.createTopics(java.util.List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        }
        return name;
    }

    /**
     * Creates a keyspace with a unique name (replication factor 1).
     *
     * @param prefix readable part of the name
     * @return the keyspace name
     */
    public String createKeyspace(String prefix) {
        String name = UniqueNames.keyspace(prefix);
        try (CqlSession session = cqlSession()) {
            session.execute(io.pricecast.schemas.Keyspace.createStatement(name, 1));
        }
        return name;
    }
}
