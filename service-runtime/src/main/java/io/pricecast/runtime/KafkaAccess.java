package io.pricecast.runtime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a Kafka client reaches and authenticates to the brokers: the bootstrap servers plus the security properties
 * every client of a service (producers, consumers, admin, Streams) gets. Read from the environment:
 *
 * <pre>
 * PRICECAST_KAFKA_SECURITY_PROTOCOL    PLAINTEXT (default), SASL_PLAINTEXT, SASL_SSL or SSL
 * PRICECAST_KAFKA_SASL_MECHANISM       PLAIN (default once a user name is set), SCRAM-SHA-256 or SCRAM-SHA-512
 * PRICECAST_KAFKA_SASL_USERNAME        the SASL user
 * PRICECAST_KAFKA_SASL_PASSWORD        its password (or PRICECAST_KAFKA_SASL_PASSWORD_FILE: a file holding it)
 * PRICECAST_KAFKA_PROPERTY_&lt;NAME&gt;     any other client property, NAME in capitals with '_' for '.', e.g.
 *                                      PRICECAST_KAFKA_PROPERTY_SSL_TRUSTSTORE_LOCATION=ssl.truststore.location
 * </pre>
 *
 * The password only ever enters {@code sasl.jaas.config}, which Kafka's clients log as {@code [hidden]};
 * {@link #toString()} masks it too.
 *
 * @param bootstrap Kafka bootstrap servers
 * @param security  the security properties (empty for PLAINTEXT without extra properties)
 */
public record KafkaAccess(String bootstrap, Map<String, String> security) {

    public static final String SECURITY_PROTOCOL = "PRICECAST_KAFKA_SECURITY_PROTOCOL";
    public static final String SASL_MECHANISM = "PRICECAST_KAFKA_SASL_MECHANISM";
    public static final String SASL_USERNAME = "PRICECAST_KAFKA_SASL_USERNAME";
    public static final String SASL_PASSWORD = "PRICECAST_KAFKA_SASL_PASSWORD";
    public static final String PROPERTY_PREFIX = "PRICECAST_KAFKA_PROPERTY_";
    static final String JAAS_CONFIG = "sasl.jaas.config";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

    public KafkaAccess {
        security = Map.copyOf(security);
    }

    /** @return access without authentication (tests, the local stack) */
    public static KafkaAccess plaintext(String bootstrap) {
        return new KafkaAccess(bootstrap, Map.of());
    }

    /**
     * @param bootstrap the bootstrap servers
     * @param env       the environment
     * @return the access the environment describes
     * @throws IllegalArgumentException naming the variable when the settings do not fit together
     */
    public static KafkaAccess fromEnvironment(String bootstrap, Map<String, String> env) {
        Map<String, String> security = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PROPERTY_PREFIX)
                    && name.length() > PROPERTY_PREFIX.length()
                    && value != null
                    && !value.isBlank()) {
                security.put(
                        name.substring(PROPERTY_PREFIX.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.'),
                        value.trim());
            }
        });
        Optional<String> user =
                Optional.ofNullable(env.get(SASL_USERNAME)).map(String::trim).filter(u -> !u.isEmpty());
        Optional<String> password = Secrets.read(env, SASL_PASSWORD);
        String protocol = text(env, SECURITY_PROTOCOL, user.isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT")
                .toUpperCase(Locale.ROOT);
        if (!protocol.equals("PLAINTEXT")) {
            security.put("security.protocol", protocol);
        }
        if (protocol.startsWith("SASL_")) {
            if (user.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException(SECURITY_PROTOCOL + "=" + protocol + " needs " + SASL_USERNAME
                        + " and " + SASL_PASSWORD + " (or " + SASL_PASSWORD + Secrets.FILE_SUFFIX + ")");
            }
            String mechanism = text(env, SASL_MECHANISM, "PLAIN").toUpperCase(Locale.ROOT);
            String module = switch (mechanism) {
                case "PLAIN" -> PLAIN_LOGIN;
                case "SCRAM-SHA-256", "SCRAM-SHA-512" -> SCRAM_LOGIN;
                default ->
                    throw new IllegalArgumentException(SASL_MECHANISM + "=" + mechanism
                            + " is not supported (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)");
            };
            security.put("sasl.mechanism", mechanism);
            security.put(
                    JAAS_CONFIG,
                    module + " required username=\"" + jaasQuoted(user.get()) + "\" password=\""
                            + jaasQuoted(password.get()) + "\";");
        } else if (user.isPresent()) {
            throw new IllegalArgumentException(SASL_USERNAME + " is set but " + SECURITY_PROTOCOL + "=" + protocol
                    + " does not authenticate with SASL (use SASL_PLAINTEXT or SASL_SSL)");
        }
        return new KafkaAccess(bootstrap, security);
    }

    /** @return {@code bootstrap.servers} and the security properties, for any Kafka client */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(map());
        return p;
    }

    /** @return the same as {@link #properties()}, as a map */
    public Map<String, Object> map() {
        Map<String, Object> p = new LinkedHashMap<>(security);
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    /** Adds the security properties to {@code into} (which holds its own {@code bootstrap.servers}). */
    public void applySecurity(Map<Object, Object> into) {
        into.putAll(security);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(security);
        shown.replaceAll((k, v) -> k.equals(JAAS_CONFIG) || k.contains("password") ? "****" : v);
        return "KafkaAccess[bootstrap=" + bootstrap + ", security=" + shown + "]";
    }

    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
