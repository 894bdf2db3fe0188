package io.pricecast.runtime;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Opens the one CqlSession of a process, configured by the driver configuration every service shares:
 * {@value #DRIVER_CONFIG}{@code .conf} in this module (consistency, timeouts, reconnection, the in-flight throttler),
 * over the driver's reference.conf and under {@code -Ddatastax-java-driver.*} system properties. With
 * {@code PRICECAST_CASSANDRA_USERNAME}/{@code _PASSWORD} set the session authenticates ({@link CassandraCredentials}).
 */
public final class CqlSessions {

    /** The classpath resource (without {@code .conf}) holding the driver settings of every service. */
    public static final String DRIVER_CONFIG = "pricecast-driver";

    private CqlSessions() {}

    /** The driver's session-wide meters a service's registry gets ({@code cassandra_session_*}). */
    static final List<String> SESSION_METERS = List.of(
            "bytes-sent",
            "bytes-received",
            "connected-nodes",
            "cql-requests",
            "cql-client-timeouts",
            "throttling.delay",
            "throttling.queue-size",
            "throttling.errors");
    /** The driver's per-node meters a service's registry gets ({@code cassandra_nodes_*}). */
    static final List<String> NODE_METERS = List.of(
            "pool.open-connections",
            "pool.in-flight",
            "errors.request.write-timeouts",
            "errors.request.read-timeouts",
            "errors.request.unavailables",
            "errors.connection.init",
            "retries.total");

    /**
     * @param settings the service settings
     * @return a session bound to no keyspace (statements name the keyspace)
     */
    public static CqlSession open(ServiceSettings settings) {
        return open(settings, new OptionsMap(), null);
    }

    /**
     * @param settings the service settings
     * @param meters   the service's registry: the driver's session and node meters go there
     * @return a session bound to no keyspace (statements name the keyspace)
     */
    public static CqlSession open(ServiceSettings settings, MeterRegistry meters) {
        return open(settings, new OptionsMap(), meters);
    }

    /**
     * Opens a session that keeps trying while Cassandra cannot be reached at start ({@code reconnect-on-init}), for a
     * service that answers {@code /health} meanwhile.
     *
     * @param settings    the service settings
     * @param maxInFlight most requests of the session running at once (the driver throttler's
     *                    {@code max-concurrent-requests}); more wait in its queue
     * @param meters      the service's registry: the driver's session and node meters go there
     * @return a session bound to no keyspace (statements name the keyspace), once Cassandra answered
     */
    public static CqlSession openWaiting(ServiceSettings settings, int maxInFlight, MeterRegistry meters) {
        OptionsMap overrides = bound(maxInFlight);
        overrides.put(TypedDriverOption.RECONNECT_ON_INIT, true);
        return open(settings, overrides, meters);
    }

    /**
     * The session of a service: the shared configuration under {@code overrides}, with schema metadata kept (and
     * refreshed on changes) for the service's own keyspace only, not for every keyspace of the cluster.
     */
    private static CqlSession open(ServiceSettings settings, OptionsMap overrides, MeterRegistry meters) {
        overrides.put(TypedDriverOption.METADATA_SCHEMA_REFRESHED_KEYSPACES, List.of(settings.keyspace()));
        if (meters != null) {
            overrides.put(TypedDriverOption.METRICS_FACTORY_CLASS, "MicrometerMetricsFactory");
            // cassandra.session.* and cassandra.nodes.* with the session and node as tags, not in the names
            overrides.put(TypedDriverOption.METRICS_ID_GENERATOR_CLASS, "TaggingMetricIdGenerator");
            overrides.put(TypedDriverOption.METRICS_ID_GENERATOR_PREFIX, "cassandra");
            overrides.put(TypedDriverOption.METRICS_SESSION_ENABLED, SESSION_METERS);
            overrides.put(TypedDriverOption.METRICS_NODE_ENABLED, NODE_METERS);
        }
        CqlSessionBuilder builder = CqlSession.builder()
                .withConfigLoader(over(overrides))
                .withLocalDatacenter(settings.cassandraDatacenter());
        for (InetSocketAddress contact : settings.cassandraContacts()) {
            builder.addContactPoint(new InetSocketAddress(contact.getHostString(), contact.getPort()));
        }
        if (meters != null) {
            builder.withMetricRegistry(meters);
        }
        return settings.cassandraCredentials().applyTo(builder).build();
    }

    /**
     * The shared driver configuration, for a session built elsewhere ({@code CqlSession.builder().withConfigLoader}).
     *
     * @return {@value #DRIVER_CONFIG}{@code .conf} under the {@code -Ddatastax-java-driver.*} system properties
     */
    public static DriverConfigLoader driverConfig() {
        return DriverConfigLoader.fromClasspath(DRIVER_CONFIG);
    }

    /**
     * The shared driver configuration without schema metadata, for a short session of a tool or a test that creates a
     * keyspace or reads rows: it neither waits for a metadata refresh after its DDL nor keeps the metadata of every
     * keyspace of the cluster up to date. Not for a service's session: the sink's request packing needs the token map
     * of its keyspace.
     *
     * @return {@link #driverConfig()} with {@code advanced.metadata.schema.enabled = false}
     */
    public static DriverConfigLoader driverConfigWithoutSchemaMetadata() {
        OptionsMap overrides = new OptionsMap();
        overrides.put(TypedDriverOption.METADATA_SCHEMA_ENABLED, false);
        return over(overrides);
    }

    /**
     * @param maxInFlight most requests running at once, instead of the file's {@code max-concurrent-requests}
     * @return the shared driver configuration with that in-flight bound (which wins over a system property too)
     */
    public static DriverConfigLoader driverConfig(int maxInFlight) {
        return over(bound(maxInFlight));
    }

    /** @return the shared driver configuration with {@code overrides} winning over it (and over system properties) */
    private static DriverConfigLoader over(OptionsMap overrides) {
        return DriverConfigLoader.compose(DriverConfigLoader.fromMap(overrides), driverConfig());
    }

    private static OptionsMap bound(int maxInFlight) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight=" + maxInFlight + " must be positive");
        }
        OptionsMap bound = new OptionsMap();
        bound.put(TypedDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS, maxInFlight);
        return bound;
    }
}
