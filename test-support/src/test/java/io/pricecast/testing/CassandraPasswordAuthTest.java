package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import io.pricecast.runtime.CassandraCredentials;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.stack.PasswordCassandraNode;
import io.pricecast.stack.SystemInit;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services' Cassandra sessions ({@link CqlSessions}, from {@code PRICECAST_CASSANDRA_USERNAME}/{@code _PASSWORD}) and
 * {@code pricecast init}'s keyspace creation against a real node running {@code PasswordAuthenticator}: the right
 * password works, a wrong one and none are refused by the node.
 */
class CassandraPasswordAuthTest {

    private static final String PASSWORD = "pricecast-cql-s3cret";

    @Test
    void servicesAndInitLogInWithTheirCredentialsAndWrongOrMissingOnesAreRefused(@TempDir Path dir) throws Exception {
        try (PasswordCassandraNode node = PasswordCassandraNode.start(dir)) {
            try (CqlSession admin = CqlSessions.open(
                    settings(node, PasswordCassandraNode.SUPERUSER, PasswordCassandraNode.SUPERUSER_PASSWORD))) {
                admin.execute(
                        "CREATE ROLE IF NOT EXISTS pricecast WITH PASSWORD = '" + PASSWORD + "' AND LOGIN = true");
            }
            SystemInit.createKeyspace(
                    node.contact(),
                    node.datacenter(),
                    new CassandraCredentials(Optional.of("pricecast"), Optional.of(PASSWORD)),
                    "auth_test",
                    1);

            ServiceSettings service = settings(node, "pricecast", PASSWORD);
            assertThat(service.toString()).doesNotContain(PASSWORD);
            try (CqlSession session = CqlSessions.open(service)) {
                session.execute("CREATE TABLE IF NOT EXISTS auth_test.t (k text PRIMARY KEY, v int)");
                session.execute("INSERT INTO auth_test.t (k, v) VALUES ('a', 1)");
                assertThat(session.execute("SELECT v FROM auth_test.t WHERE k = 'a'")
                                .one()
                                .getInt("v"))
                        .isEqualTo(1);
                assertThat(session.execute("SELECT role FROM system_auth.roles WHERE role = 'pricecast'")
                                .one())
                        .isNotNull();
            }

            assertThatThrownBy(() -> CqlSessions.open(settings(node, "pricecast", "not-the-password"))
                            .close())
                    .isInstanceOfSatisfying(
                            AllNodesFailedException.class,
                            e -> assertThat(e.getAllErrors().values())
                                    .anySatisfy(errors -> assertThat(errors)
                                            .hasAtLeastOneElementOfType(AuthenticationException.class)))
                    .hasMessageNotContaining("not-the-password");
            assertThatThrownBy(
                            () -> CqlSessions.open(settings(node, null, null)).close())
                    .isInstanceOfSatisfying(
                            AllNodesFailedException.class,
                            e -> assertThat(e.getAllErrors().values())
                                    .anySatisfy(errors -> assertThat(errors)
                                            .hasAtLeastOneElementOfType(AuthenticationException.class)));
        }
    }

    private static ServiceSettings settings(PasswordCassandraNode node, String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("PRICECAST_CASSANDRA_CONTACT", "127.0.0.1:" + node.contact().getPort());
        env.put("PRICECAST_CASSANDRA_DC", node.datacenter());
        if (user != null) {
            env.put(CassandraCredentials.USERNAME, user);
            env.put(CassandraCredentials.PASSWORD, password);
        }
        return ServiceSettings.fromEnvironment(env, "PRICECAST_TEST_PORT", 0, "auth-test");
    }
}
