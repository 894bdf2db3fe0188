package io.pricecast.runtime;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;

/**
 * Opens the one CqlSession of a process; driver tuning lives in the driver's own application.conf. With
 * {@code PRICECAST_CASSANDRA_USERNAME}/{@code _PASSWORD} set the session authenticates ({@link CassandraCredentials}).
 */
public final class CqlSessions {

    private CqlSessions() {
    }

    /**
     * @param settings the service settings
     * @return a session bound to no keyspace (statements name the keyspace)
     */
    public static CqlSession open(ServiceSettings settings) {
        InetSocketAddress contact = settings.cassandraContact();
        return settings.cassandraCredentials().applyTo(CqlSession.builder()
                        .addContactPoint(new InetSocketAddress(contact.getHostString(), contact.getPort()))
                        .withLocalDatacenter(settings.cassandraDatacenter()))
                .build();
    }
}
