package io.pricecast.runtime;

import io.pricecast.schemas.serde.AvroSerdes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a service finds the rest of the system, read once from environment variables with
 * documented defaults (the local stack's ports). {@code ./pricecast up} and docker compose set them.
 *
 * @param kafkaBootstrap       {@code PRICECAST_KAFKA_BOOTSTRAP}, default 127.0.0.1:9092
 * @param registryUrl          {@code PRICECAST_REGISTRY_URL}, default http://127.0.0.1:8081
 * @param cassandraContact     the first address of {@code PRICECAST_CASSANDRA_CONTACT} (host:port, or a comma-separated
 *                             list of them: {@link #cassandraContacts()}), default 127.0.0.1:9042
 * @param cassandraDatacenter  {@code PRICECAST_CASSANDRA_DC}, default datacenter1
 * @param keyspace             {@code PRICECAST_KEYSPACE}, default pricecast
 * @param httpPort             the service's own HTTP port ({@code PRICECAST_<SERVICE>_PORT})
 * @param stateDir             {@code PRICECAST_STATE_DIR}: local state (Streams stores, spill files)
 * @param env                  the whole environment, for service-specific settings (never printed: it holds secrets)
 */
public record ServiceSettings(
        String kafkaBootstrap,
        String registryUrl,
        InetSocketAddress cassandraContact,
        String cassandraDatacenter,
        String keyspace,
        int httpPort,
        Path stateDir,
        Map<String, String> env) {

    private static final String CASSANDRA_CONTACT = "PRICECAST_CASSANDRA_CONTACT";

    /**
     * @param env             the environment
     * @param portVariable    the service's port variable, e.g. {@code PRICECAST_INGEST_PORT}
     * @param defaultPort     its default
     * @param serviceName     used for the default state directory
     * @return the settings
     */
    public static ServiceSettings fromEnvironment(
            Map<String, String> env, String portVariable, int defaultPort, String serviceName) {
        return new ServiceSettings(
                text(env, "PRICECAST_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                text(env, "PRICECAST_REGISTRY_URL", "http://127.0.0.1:8081"),
                hostPorts(CASSANDRA_CONTACT, text(env, CASSANDRA_CONTACT, "127.0.0.1:9042"))
                        .get(0),
                text(env, "PRICECAST_CASSANDRA_DC", "datacenter1"),
                text(env, "PRICECAST_KEYSPACE", "pricecast"),
                integer(env, portVariable, defaultPort),
                Path.of(text(
                        env,
                        "PRICECAST_STATE_DIR",
                        Path.of(".pricecast", "state", serviceName).toString())),
                Map.copyOf(env));
    }

    /**
     * @return how Kafka clients reach and authenticate to the brokers ({@link KafkaAccess}: SASL settings)
     * @throws IllegalArgumentException naming the variable when the security settings do not fit together
     */
    public KafkaAccess kafka() {
        return KafkaAccess.fromEnvironment(kafkaBootstrap, env);
    }

    /** @return the Cassandra user name and password, when the cluster authenticates ({@link CassandraCredentials}) */
    /** @return the one way a service builds its registry serdes: this registry, the kind {@code PRICECAST_SERDE} names */
    public AvroSerdes serdes() {
        Map<String, String> registry = new HashMap<>(env);
        registry.put("PRICECAST_REGISTRY_URL", registryUrl);
        return AvroSerdes.fromEnvironment(registry);
    }

    public CassandraCredentials cassandraCredentials() {
        return CassandraCredentials.fromEnvironment(env);
    }

    /** Without the environment, which holds secrets. */
    @Override
    public String toString() {
        return "ServiceSettings[kafka=" + kafka() + ", registry=" + registryUrl + ", cassandra=" + cassandraContact
                + " (" + cassandraDatacenter + ", " + cassandraCredentials() + "), keyspace=" + keyspace + ", httpPort="
                + httpPort + ", stateDir=" + stateDir + "]";
    }

    /**
     * @return every Cassandra node to make first contact with: {@code PRICECAST_CASSANDRA_CONTACT}'s list (the driver
     *     then finds the rest of the cluster), so a session can open while any one of them is down
     */
    public List<InetSocketAddress> cassandraContacts() {
        String v = env.get(CASSANDRA_CONTACT);
        return v == null || v.isBlank() ? List.of(cassandraContact) : hostPorts(CASSANDRA_CONTACT, v);
    }

    /**
     * @param name the setting's name, for the error ({@code PRICECAST_CASSANDRA_CONTACT}, {@code --cassandra})
     * @param list {@code host:port}, or several separated by commas
     * @return the addresses, unresolved (resolved when a connection is tried)
     * @throws IllegalArgumentException naming the setting and the entry that is not {@code host:port}
     */
    public static List<InetSocketAddress> hostPorts(String name, String list) {
        List<InetSocketAddress> addresses = Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(a -> !a.isEmpty())
                .map(a -> hostPort(name, a))
                .toList();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException(name + "=" + list + " names no host:port");
        }
        return addresses;
    }

    /**
     * @param name     variable
     * @param fallback default
     * @return the variable's value, or the default when unset or blank
     */
    public String get(String name, String fallback) {
        return text(env, name, fallback);
    }

    /**
     * @param name     variable
     * @param fallback default
     * @return the variable as a whole number
     * @throws IllegalArgumentException naming the variable when it is not one
     */
    public int getInt(String name, int fallback) {
        return integer(env, name, fallback);
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String v = text(env, name, Integer.toString(fallback));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + v + " is not a whole number", e);
        }
    }

    private static InetSocketAddress hostPort(String name, String v) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(name + "=" + v + " is not host:port");
        }
        return InetSocketAddress.createUnresolved(
                v.substring(0, colon), integer(Map.of(name, v.substring(colon + 1)), name, 0));
    }
}
