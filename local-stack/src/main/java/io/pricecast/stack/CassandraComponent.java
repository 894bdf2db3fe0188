package io.pricecast.stack;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Cassandra 5.0 node: the single node of the local stack, or node {@code n} of the 3-node cluster, on
 * {@code 127.0.0.<n>} with the ports of the single node and a third of the token ring.
 */
final class CassandraComponent implements Component {

    static final String NAME = "cassandra";
    /** The data centre name of {@code SimpleSnitch}, which clients must name as their local one. */
    public static final String DATACENTER = "datacenter1";

    private static final String MAIN = "org.apache.cassandra.service.CassandraDaemon";

    /** From Cassandra's own conf/jvm17-server.options: what the daemon needs opened on Java 17. */
    static final List<String> JAVA17_FLAGS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports",
            "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports",
            "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports",
            "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports",
            "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports",
            "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports",
            "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports",
            "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports",
            "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports",
            "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens",
            "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens",
            "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens",
            "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens",
            "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens",
            "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens",
            "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.io=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens",
            "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    private final StackConfig config;
    private final int node;
    private final String name;
    private final Path dataDir;
    private final Path yaml;
    private final Path logback;

    CassandraComponent(StackConfig config, int node) {
        this.config = config;
        this.node = node;
        this.name = StackConfig.nodeComponent(NAME, node);
        this.dataDir = config.dataDir().resolve(name);
        this.yaml = config.confDir().resolve(name + ".yaml");
        this.logback = config.confDir().resolve("cassandra-logback.xml");
    }

    /** @return one node per {@link StackConfig#nodes}, in node order (each joins the ring the previous ones form) */
    static List<CassandraComponent> all(StackConfig config) {
        return config.nodeNumbers()
                .mapToObj(n -> new CassandraComponent(config, n))
                .toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return config.host(node);
    }

    @Override
    public List<Integer> ports() {
        return List.of(config.cassandraPort(), config.cassandraStoragePort());
    }

    @Override
    public int mainPort() {
        return config.cassandraPort();
    }

    @Override
    public Path logFile() {
        return config.logDir().resolve(name + ".log");
    }

    @Override
    public String unsupportedRuntime(JavaRuntime java) {
        if (java.feature() == 11 || java.feature() == 17) {
            return null;
        }
        return "Cassandra 5.0 runs on Java 11 or 17, but " + java.home() + " is Java " + java.feature()
                + "; set PRICECAST_SERVER_JAVA_HOME to a Java 17 JDK";
    }

    @Override
    public void prepare(JavaRuntime java) throws IOException {
        for (String d : List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw")) {
            Files.createDirectories(dataDir.resolve(d));
        }
        Files.createDirectories(config.confDir());
        Files.writeString(yaml, yaml());
        Files.writeString(logback, ServerLogging.logback());
    }

    /** The generated settings, with {@link StackConfig#cassandraSettings()} replacing or adding top-level keys. */
    String yaml() {
        List<String> lines = new ArrayList<>(List.of(defaultYaml().split("\n")));
        if (config.nodes() > 1) {
            // the cluster's nodes are all made empty together, so a node joins the ring without streaming anything
            lines.add("auto_bootstrap: false");
        }
        config.cassandraSettings().forEach((key, value) -> {
            lines.removeIf(line -> line.startsWith(key + ":"));
            lines.add(key + ": " + value);
        });
        return String.join("\n", lines) + "\n";
    }

    private String defaultYaml() {
        return String.join(
                "\n",
                "# generated by ./pricecast from PRICECAST_* settings; edits are overwritten at start",
                "cluster_name: pricecast-local",
                "num_tokens: 1",
                "# one token per node: the single node owns the ring; the cluster's nodes own a third of it each",
                "initial_token: " + initialToken(),
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "data_file_directories: [" + quoted(dataDir.resolve("data")) + "]",
                "commitlog_directory: " + quoted(dataDir.resolve("commitlog")),
                "saved_caches_directory: " + quoted(dataDir.resolve("saved_caches")),
                "hints_directory: " + quoted(dataDir.resolve("hints")),
                "cdc_raw_directory: " + quoted(dataDir.resolve("cdc_raw")),
                "# acknowledged writes are on disk: batch commit fsyncs before it acknowledges (writes waiting",
                "# meanwhile share the next fsync), so kill -9 or a power cut loses nothing acknowledged.",
                "# (group mode with a 10 ms window held each of the concurrent_writes threads 10 ms: ~3k writes/s)",
                "commitlog_sync: batch",
                "concurrent_writes: 64",
                "# the sink writes a partition's rows as one single-partition unlogged batch, and packs the small ones of",
                "# up to 64 partitions into one unlogged batch of at most 40 KiB (under the 50 KiB failure threshold):",
                "# not worth a warning each",
                "batch_size_warn_threshold: 64KiB",
                "unlogged_batch_across_partitions_warn_threshold: 64",
                "commitlog_segment_size: 32MiB",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + seeds() + "\"",
                "listen_address: " + host(),
                "rpc_address: " + host(),
                "storage_port: " + config.cassandraStoragePort(),
                "native_transport_port: " + config.cassandraPort(),
                "start_native_transport: true",
                "endpoint_snitch: SimpleSnitch",
                "auto_snapshot: false",
                "disk_failure_policy: stop",
                "commit_failure_policy: stop",
                "concurrent_compactors: 1",
                "");
    }

    /** @return node 1's token 0 on one node; on n nodes, evenly spaced tokens of the Murmur3 ring */
    private String initialToken() {
        if (config.nodes() == 1) {
            return "0";
        }
        BigInteger ring = BigInteger.TWO.pow(64);
        return ring.multiply(BigInteger.valueOf(node - 1L))
                .divide(BigInteger.valueOf(config.nodes()))
                .add(BigInteger.valueOf(Long.MIN_VALUE))
                .toString();
    }

    /** @return every node's gossip address: any node that is up lets a restarted one find the ring */
    private String seeds() {
        return config.nodeAddresses(config.cassandraStoragePort());
    }

    private static String quoted(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public List<String> command(JavaRuntime java) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.executable());
        // as root Cassandra mlocks its heap: a small initial heap keeps start-up cheap
        cmd.addAll(List.of(
                "-Xms256m",
                "-Xmx" + config.cassandraHeap(),
                "-Xss512k",
                "-XX:+UseG1GC",
                "-XX:+ParallelRefProcEnabled",
                "-XX:MaxTenuringThreshold=1",
                "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + config.logDir()));
        cmd.addAll(JAVA17_FLAGS);
        cmd.addAll(List.of(
                "-Djava.net.preferIPv4Stack=true",
                "-Dcassandra.config=" + yaml.toUri(),
                "-Dcassandra-foreground=yes",
                "-Dcassandra.storagedir=" + dataDir,
                "-Dcassandra.logdir=" + config.logDir(),
                "-Dcassandra.skip_wait_for_gossip_to_settle=0"));
        if (config.nodes() == 1) {
            cmd.add("-Dcassandra.superuser_setup_delay_ms=0");
        } else {
            // the default role is set up once a quorum of the ring answers; with no delay a node that waits for its
            // peers retries without pause (3.4 million log lines in a minute, seen), 1 s apart it costs nothing
            cmd.add("-Dcassandra.superuser_setup_delay_ms=1000");
            // a node waits RING_DELAY (30 s) for its peers' gossip when it starts before them (a whole cluster
            // started node by node); on the loopback gossip takes milliseconds
            cmd.add("-Dcassandra.ring_delay_ms=3000");
        }
        cmd.addAll(List.of("-Dlogback.configurationFile=" + logback.toUri(), "-cp", ServerClasspath.of(NAME), MAIN));
        return cmd;
    }

    @Override
    public Health check(Duration timeout) {
        if (!Ports.isListening(host(), config.cassandraPort())) {
            return Health.down("CQL port " + host() + ":" + config.cassandraPort() + " not listening");
        }
        try (CqlSession session = session(timeout)) {
            // this node's own answer, not whichever node of the cluster the driver would pick
            var self = session.getMetadata().getNodes().values().stream()
                    .filter(n -> n.getEndPoint().resolve() instanceof InetSocketAddress a
                            && a.getAddress().getHostAddress().equals(host()))
                    .findFirst();
            if (self.isEmpty()) {
                return Health.down("node " + host() + " is not in the cluster's metadata yet");
            }
            Row row = session.execute(SimpleStatement.newInstance("SELECT release_version FROM system.local")
                            .setNode(self.get()))
                    .one();
            return Health.up("Cassandra " + (row == null ? "?" : row.getString(0)));
        } catch (RuntimeException e) {
            return Health.down("CQL not answering: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void initialize() {
        if (node < config.nodes()) {
            // the cluster's keyspace is made once the ring is whole, by the last node: its replicas go to all three
            return;
        }
        SystemInit.createKeyspace(
                new InetSocketAddress(host(), config.cassandraPort()),
                DATACENTER,
                config.keyspace(),
                config.replicationFactor());
    }

    private CqlSession session(Duration timeout) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(host(), config.cassandraPort()))
                .withLocalDatacenter(DATACENTER)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, timeout)
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, timeout)
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, timeout)
                        .build())
                .build();
    }
}
