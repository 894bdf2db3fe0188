package io.pricecast.schemas;

/** The Cassandra keyspace of pricecast; table DDL lives in {@code cql/*.cql} of the owning service. */
public final class Keyspace {

    /** Keyspace name used when none is configured. */
    public static final String DEFAULT_NAME = "pricecast";

    private Keyspace() {
    }

    /**
     * The idempotent keyspace DDL.
     *
     * @param name              keyspace name
     * @param replicationFactor replication factor for {@code SimpleStrategy} (1 on the local stack)
     * @return a {@code CREATE KEYSPACE IF NOT EXISTS} statement
     */
    public static String createStatement(String name, int replicationFactor) {
        if (!name.matches("[a-z][a-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("keyspace name '" + name + "' must match [a-z][a-z0-9_]{0,47}");
        }
        return "CREATE KEYSPACE IF NOT EXISTS " + name
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}";
    }
}
