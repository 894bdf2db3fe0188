package io.pricecast.system.faults;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import io.pricecast.testing.Directories;
import io.pricecast.testing.StackTeardown;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole system a fault suite runs on ({@code ./pricecast up}'s components as separate processes, in a home of
 * its own), started once for the suite, with a Cassandra session on every node and the ledger; at the end, the
 * suite's table, the logs kept, everything stopped and the home deleted.
 */
final class FaultStack {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final Instant started = Instant.now();
    private final Path home;
    private final LocalStack stack;
    private CqlSession session;
    private FaultRun run;

    /**
     * @param name  the suite's short name: its home's prefix and its progress lines' tag
     * @param env   settings on top of an isolated test stack's ({@code PRICECAST_NODES}, ...)
     * @param ports where its free ports come from
     */
    FaultStack(String name, Map<String, String> env, PortAllocator ports) throws IOException {
        this.home = Files.createTempDirectory("pricecast-" + name + "-");
        Map<String, String> all = new HashMap<>(StackConfig.testEnvironment(home, ports));
        all.putAll(env);
        this.stack = new LocalStack(
                StackConfig.fromEnvironment(all, home), l -> System.out.println("[" + name + "] " + l), REPO);
    }

    /** Starts every component, then opens the session (with every Cassandra node as a contact point) and the ledger. */
    void up() {
        stack.up();
        StackConfig config = stack.config();
        CqlSessionBuilder builder =
                CqlSession.builder().withLocalDatacenter("datacenter1").withConfigLoader(CqlSessions.driverConfig());
        config.nodeNumbers()
                .mapToObj(node -> new InetSocketAddress(config.host(node), config.cassandraPort()))
                .forEach(builder::addContactPoint);
        session = builder.build();
        run = new FaultRun(new Ledger(session, config.keyspace(), config.kafkaBootstrap(), config.registryUrl()));
    }

    LocalStack stack() {
        return stack;
    }

    StackConfig config() {
        return stack.config();
    }

    Path home() {
        return home;
    }

    CqlSession session() {
        return session;
    }

    FaultRun run() {
        return run;
    }

    /**
     * Publishes the suite's table, copies the components' logs (the home is deleted), stops everything, leaving no
     * process, and deletes the home.
     *
     * @param report     the suite's table
     * @param reportFile where it is written
     * @param logs       where the logs are copied
     */
    void finish(FaultReport report, Path reportFile, Path logs) throws IOException {
        try {
            report.publish(reportFile, Duration.between(started, Instant.now()));
            Files.createDirectories(logs);
            try (Stream<Path> files = Files.list(stack.config().logDir())) {
                for (Path log : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(log, logs.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
            StackTeardown.downLeavingNothing(stack);
            Directories.deleteTree(home);
        }
    }
}
