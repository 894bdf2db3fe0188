package io.pricecast.runtime;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * The user name and password a service presents to a Cassandra cluster that runs {@code PasswordAuthenticator}:
 * {@code PRICECAST_CASSANDRA_USERNAME} and {@code PRICECAST_CASSANDRA_PASSWORD} (or
 * {@code PRICECAST_CASSANDRA_PASSWORD_FILE}). Both unset: no authentication. Applied as the driver's
 * plain-text auth provider; {@link #toString()} masks the password.
 *
 * @param username the role, empty for none
 * @param password its password
 */
public record CassandraCredentials(Optional<String> username, Optional<String> password) {

    public static final String USERNAME = "PRICECAST_CASSANDRA_USERNAME";
    public static final String PASSWORD = "PRICECAST_CASSANDRA_PASSWORD";

    /** No authentication. */
    public static final CassandraCredentials NONE = new CassandraCredentials(Optional.empty(), Optional.empty());

    /**
     * @param env the environment
     * @return the credentials it names
     * @throws IllegalArgumentException when only one of user name and password is set
     */
    public static CassandraCredentials fromEnvironment(Map<String, String> env) {
        Optional<String> user =
                Optional.ofNullable(env.get(USERNAME)).map(String::trim).filter(u -> !u.isEmpty());
        Optional<String> password = Secrets.read(env, PASSWORD);
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException(USERNAME + " and " + PASSWORD + " (or " + PASSWORD + Secrets.FILE_SUFFIX
                    + ") must be set together");
        }
        return new CassandraCredentials(user, password);
    }

    /** @return whether a user name and password are configured */
    public boolean present() {
        return username.isPresent();
    }

    /**
     * @param builder a session builder
     * @return it, with the driver's plain-text auth provider when credentials are configured
     */
    public CqlSessionBuilder applyTo(CqlSessionBuilder builder) {
        return present() ? builder.withAuthCredentials(username.get(), password.get()) : builder;
    }

    @Override
    public String toString() {
        return "CassandraCredentials[username=" + username.orElse("(none)") + ", password=" + Secrets.masked(password)
                + "]";
    }
}
