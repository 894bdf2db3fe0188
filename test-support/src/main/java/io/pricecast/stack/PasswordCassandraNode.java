package io.pricecast.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.testing.ChildJvm;
import io.pricecast.testing.ChildServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Cassandra 5.0 node with {@code authenticator: PasswordAuthenticator}, started as a child JVM like the local
 * stack's node (same Maven-resolved classpath and Java 17 flags, hence this package), on free loopback ports. Its only
 * role at first is the built-in superuser {@value #SUPERUSER}/{@value #SUPERUSER_PASSWORD}. For tests of client
 * authentication: {@code RealStack}'s node keeps running without authentication.
 */
public final class PasswordCassandraNode implements AutoCloseable {

    public static final String SUPERUSER = "cassandra";
    public static final String SUPERUSER_PASSWORD = "cassandra";
    /** Cassandra's start under a CI run's load (every lane starting servers) took up to 160 s on 2 cores. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(300);

    private final Process process;
    private final InetSocketAddress contact;
    private final Path log;

    private PasswordCassandraNode(Process process, InetSocketAddress contact, Path log) {
        this.process = process;
        this.contact = contact;
        this.log = log;
    }

    /**
     * Starts the node under {@code dir} and waits until the superuser can log in and query.
     *
     * @param dir data, configuration and log of this node
     * @return the running node
     */
    public static PasswordCassandraNode start(Path dir) throws IOException {
        PortAllocator ports = new PortAllocator();
        int cql = ports.next();
        int storage = ports.next();
        for (String d : List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw")) {
            Files.createDirectories(dir.resolve(d));
        }
        Path yaml = dir.resolve("cassandra.yaml");
        Path logback = dir.resolve("logback.xml");
        Path log = dir.resolve("cassandra.log");
        Files.writeString(
                yaml,
                String.join(
                        "\n",
                        "cluster_name: pricecast-auth-test",
                        "num_tokens: 1",
                        "initial_token: 0",
                        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                        "authenticator: PasswordAuthenticator",
                        "authorizer: AllowAllAuthorizer",
                        "role_manager: CassandraRoleManager",
                        "data_file_directories: [\"" + dir.resolve("data") + "\"]",
                        "commitlog_directory: \"" + dir.resolve("commitlog") + "\"",
                        "saved_caches_directory: \"" + dir.resolve("saved_caches") + "\"",
                        "hints_directory: \"" + dir.resolve("hints") + "\"",
                        "cdc_raw_directory: \"" + dir.resolve("cdc_raw") + "\"",
                        "commitlog_sync: periodic",
                        "commitlog_sync_period: 10000ms",
                        "seed_provider:",
                        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                        "    parameters:",
                        "      - seeds: \"127.0.0.1:" + storage + "\"",
                        "listen_address: 127.0.0.1",
                        "rpc_address: 127.0.0.1",
                        "storage_port: " + storage,
                        "native_transport_port: " + cql,
                        "start_native_transport: true",
                        "endpoint_snitch: SimpleSnitch",
                        "auto_snapshot: false",
                        "concurrent_compactors: 1",
                        ""));
        Files.writeString(logback, ServerLogging.logback());
        List<String> cmd = new ArrayList<>(ChildJvm.command("-Xms128m", "-Xmx512m", "-Xss512k", "-XX:+UseG1GC"));
        cmd.addAll(CassandraComponent.JAVA17_FLAGS);
        cmd.addAll(List.of(
                "-Djava.net.preferIPv4Stack=true",
                "-Dcassandra.config=" + yaml.toUri(),
                "-Dcassandra-foreground=yes",
                "-Dcassandra.storagedir=" + dir,
                "-Dcassandra.logdir=" + dir,
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.superuser_setup_delay_ms=0",
                "-Dlogback.configurationFile=" + logback.toUri(),
                "-cp",
                ServerClasspath.of(CassandraComponent.NAME),
                "org.apache.cassandra.service.CassandraDaemon"));
        Process process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PasswordCassandraNode node = new PasswordCassandraNode(process, new InetSocketAddress("127.0.0.1", cql), log);
        ChildServers.awaitReady(
                process,
                "the Cassandra node",
                log,
                READY_WITHIN,
                Duration.ofSeconds(1),
                () -> {
                    try (CqlSession session = CqlSession.builder()
                            .addContactPoint(node.contact())
                            .withLocalDatacenter(CassandraComponent.DATACENTER)
                            .withAuthCredentials(SUPERUSER, SUPERUSER_PASSWORD)
                            .build()) {
                        return session.execute("SELECT role FROM system_auth.roles WHERE role = 'cassandra'")
                                        .one()
                                != null;
                    }
                },
                node::close);
        return node;
    }

    /** @return its CQL contact point */
    public InetSocketAddress contact() {
        return contact;
    }

    /** @return the data centre clients must name */
    public String datacenter() {
        return CassandraComponent.DATACENTER;
    }

    /** @return where the node logs */
    public Path log() {
        return log;
    }

    @Override
    public void close() {
        ChildServers.stop(process);
    }
}
