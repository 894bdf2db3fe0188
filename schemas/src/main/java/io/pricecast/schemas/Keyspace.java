package io.pricecast.schemas;

/** The Cassandra keyspace of pricecast; table DDL lives in {@code cql/*.cql} of the owning service. */
public final class Keyspace {

    /** Keyspace name used when none is configured. */
    public static final String DEFAULT_NAME = "pricecast";
    /** The names a keyspace may have here: a CQL identifier that needs no quoting. */
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,47}");

    private Keyspace() {}

    /**
     * The idempotent keyspace DDL.
     *
     * @param name              keyspace name
     * @param replicationFactor replication factor for {@code SimpleStrategy} (1 on the local stack)
     * @return a {@code CREATE KEYSPACE IF NOT EXISTS} statement
     */
    public static String createStatement(String name, int replicationFactor) {
        return "CREATE KEYSPACE IF NOT EXISTS " + requireValid(name)
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}";
    }

    /**
     * @param name a keyspace name
     * @return the name
     * @throws IllegalArgumentException when it does not match {@link #NAME}
     */
    public static String requireValid(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("keyspace name '" + name + "' must match " + NAME.pattern());
        }
        return name;
    }
}
