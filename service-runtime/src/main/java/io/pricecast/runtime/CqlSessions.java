package io.pricecast.runtime;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
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

    /**
     * @param settings the service settings
     * @return a session bound to no keyspace (statements name the keyspace)
     */
    public static CqlSession open(ServiceSettings settings) {
        return open(settings, new OptionsMap());
    }

    /**
     * Opens a session that keeps trying while Cassandra cannot be reached at start ({@code reconnect-on-init}), for a
     * service that answers {@code /health} meanwhile.
     *
     * @param settings    the service settings
     * @param maxInFlight most requests of the session running at once (the driver throttler's
     *                    {@code max-concurrent-requests}); more wait in its queue
     * @return a session bound to no keyspace (statements name the keyspace), once Cassandra answered
     */
    public static CqlSession openWaiting(ServiceSettings settings, int maxInFlight) {
        OptionsMap overrides = bound(maxInFlight);
        overrides.put(TypedDriverOption.RECONNECT_ON_INIT, true);
        return open(settings, overrides);
    }

    /**
     * The session of a service: the shared configuration under {@code overrides}, with schema metadata kept (and
     * refreshed on changes) for the service's own keyspace only, not for every keyspace of the cluster.
     */
    private static CqlSession open(ServiceSettings settings, OptionsMap overrides) {
        overrides.put(TypedDriverOption.METADATA_SCHEMA_REFRESHED_KEYSPACES, List.of(settings.keyspace()));
        InetSocketAddress contact = settings.cassandraContact();
        return settings.cassandraCredentials()
                .applyTo(CqlSession.builder()
                        .withConfigLoader(over(overrides))
                        .addContactPoint(new InetSocketAddress(contact.getHostString(), contact.getPort()))
                        .withLocalDatacenter(settings.cassandraDatacenter()))
                .build();
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
