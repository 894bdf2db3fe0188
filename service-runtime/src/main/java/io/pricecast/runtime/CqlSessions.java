package io.pricecast.runtime;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import java.net.InetSocketAddress;

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
        return open(settings, driverConfig());
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
        return open(settings, DriverConfigLoader.compose(DriverConfigLoader.fromMap(overrides), driverConfig()));
    }

    private static CqlSession open(ServiceSettings settings, DriverConfigLoader config) {
        InetSocketAddress contact = settings.cassandraContact();
        return settings.cassandraCredentials()
                .applyTo(CqlSession.builder()
                        .withConfigLoader(config)
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
     * @param maxInFlight most requests running at once, instead of the file's {@code max-concurrent-requests}
     * @return the shared driver configuration with that in-flight bound (which wins over a system property too)
     */
    public static DriverConfigLoader driverConfig(int maxInFlight) {
        return DriverConfigLoader.compose(DriverConfigLoader.fromMap(bound(maxInFlight)), driverConfig());
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
