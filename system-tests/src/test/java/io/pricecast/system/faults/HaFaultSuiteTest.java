package io.pricecast.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.schemas.Topics;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on the cluster of {@code ./pricecast up --nodes 3} (three brokers, three Cassandra nodes, two instances each
 * of ingest, scoring and the sink, all separate processes started once for the class), one at a time, each under a
 * steady load of uploads and console records with bad records mixed in. The faulted part stays down for
 * {@link #DOWN_FOR}: everything sent before the fault must be stored meanwhile, by the parts still running. Then it is
 * started again, and the ledger must hold every input record exactly once, as a forecast or a refusal.
 *
 * <p>Per fault the table gives the <em>stall</em>, the longest time no forecast was persisted while the part was
 * down (from Cassandra's write times), beside its target, and how long the part took to be back and caught up. It is
 * printed and written to {@code target/ha-fault-report.md} (docs/reliability.md, High availability). Tagged
 * {@code ha}: {@code ./pricecast faults --ha} runs it alone.
 */
@Tag("ha")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaFaultSuiteTest {

    private static final Path REPORT = Path.of("target", "ha-fault-report.md");
    /** 70 ticks of 0.5 s: 4 console records a tick, a bad one every 5th, an upload of 52 lines every 3rd. */
    private static final FaultLoad.Shape LOAD = new FaultLoad.Shape(70, Duration.ofMillis(500), 3, 10, 5);

    private static final int FAULT_AT_TICK = 8;
    /** How long a faulted part stays down before it is started again: longer than a consumer session. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(15);
    /** The consumers' session timeout: a killed instance's partitions move to the other one after it. */
    private static final Duration SESSION_TIMEOUT = Duration.ofMillis(
            Long.parseLong(System.getenv().getOrDefault("PRICECAST_KAFKA_PROPERTY_SESSION_TIMEOUT_MS", "45000")));
    /** What a broker or Cassandra node fault may stop the pipeline for. */
    private static final Duration NODE_STALL_TARGET = Duration.ofSeconds(5);
    /** What a service instance fault may stop the pipeline for: its partitions wait out its session. */
    private static final Duration SERVICE_STALL_TARGET = SESSION_TIMEOUT.plusSeconds(5);

    private static final FaultReport REPORT_ROWS = new FaultReport();
    private static final PortAllocator PORTS = new PortAllocator();

    private static FaultStack system;
    private static LocalStack stack;
    private static StackConfig config;
    private static CqlSession session;
    private static Admin admin;
    private static Ledger ledger;
    private static FaultRun run;

    /** Takes one part of the cluster down; returns the component's name. */
    @FunctionalInterface
    private interface Fault {
        String inject() throws Exception;
    }

    /** Waits until a part started again has caught up with the rest. */
    @FunctionalInterface
    private interface CatchUp {
        void await(Ledger.Expected sentUntilRestart, FaultRun.UploadClient client) throws Exception;
    }

    @BeforeAll
    static void startTheClusterOnce() throws IOException {
        system = new FaultStack("ha", Map.of("PRICECAST_NODES", "3"), PORTS);
        stack = system.stack();
        config = system.config();
        system.up();
        session = system.session();
        run = system.run();
        ledger = run.ledger();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        admin = Admin.create(p);
    }

    @AfterAll
    static void publishTheTableAndStopEverything() throws IOException {
        if (admin != null) {
            admin.close();
        }
        if (system != null) {
            system.finish(REPORT_ROWS, REPORT, Path.of("target", "ha-fault-logs"));
        }
    }

    @Test
    @Order(1)
    void theClusterIsThreeBrokersOfOneQuorumThreeCassandraNodesAndTwoInstancesOfEachService() throws Exception {
        assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
        assertThat(admin.describeMetadataQuorum()
                        .quorumInfo()
                        .get(30, TimeUnit.SECONDS)
                        .voters())
                .hasSize(3);
        for (TopicDescription topic : admin.describeTopics(
                        Topics.ALL.stream().map(Topics.Topic::name).toList())
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .values()) {
            assertThat(topic.partitions())
                    .as(topic.name())
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        }
        ConfigResource predictions = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PREDICTIONS.name());
        assertThat(admin.describeConfigs(List.of(predictions))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(predictions)
                        .get("min.insync.replicas")
                        .value())
                .isEqualTo("2");
        assertThat(session.getMetadata().getNodes()).hasSize(3);
        assertThat(session.getMetadata()
                        .getKeyspace(config.keyspace())
                        .orElseThrow()
                        .getReplication())
                .containsEntry("replication_factor", "3");
        assertThat(stack.status())
                .allSatisfy(s -> assertThat(s.health().healthy()).as(s.name()).isTrue())
                .extracting(LocalStack.ComponentStatus::name)
                .contains("ingest-2", "scoring-2", "sink-2", "kafka-3", "cassandra-3");
        assertThat(Files.readString(config.logDir().resolve("scoring-2.log"))).contains("1 standby(s)");
    }

    @Test
    @Order(2)
    void withoutAFaultEveryRecordIsAccountedForOnce() throws Exception {
        runUnderLoad("none (baseline)", NODE_STALL_TARGET, () -> null, (sent, client) -> {});
    }

    @Test
    @Order(3)
    void theBrokerLeadingPredictionsKilled() throws Exception {
        runUnderLoad(
                "kill -9 the broker leading `predictions`",
                NODE_STALL_TARGET,
                () -> kill(broker(leaderOf(Topics.PREDICTIONS.name()))),
                (sent, client) -> awaitEveryReplicaInSync());
    }

    @Test
    @Order(4)
    void aCassandraNodeKilled() throws Exception {
        runUnderLoad(
                "kill -9 a Cassandra node (the first contact point)",
                NODE_STALL_TARGET,
                () -> kill("cassandra"),
                (sent, client) -> awaitEveryHintDelivered());
    }

    @Test
    @Order(5)
    void anIngestInstanceKilled() throws Exception {
        runUnderLoad(
                "kill -9 one ingest instance", SERVICE_STALL_TARGET, () -> kill("ingest"), HaFaultSuiteTest::stored);
    }

    @Test
    @Order(6)
    void aScoringInstanceKilled() throws Exception {
        runUnderLoad(
                "kill -9 one scoring instance", SERVICE_STALL_TARGET, () -> kill("scoring"), HaFaultSuiteTest::stored);
    }

    @Test
    @Order(7)
    void aSinkInstanceKilled() throws Exception {
        runUnderLoad("kill -9 one sink instance", SERVICE_STALL_TARGET, () -> kill("sink"), HaFaultSuiteTest::stored);
    }

    @Test
    @Order(8)
    void theControllerLeaderStopped() throws Exception {
        runUnderLoad(
                "stop (SIGTERM) the KRaft controller leader",
                NODE_STALL_TARGET,
                () -> {
                    String leader = broker(admin.describeMetadataQuorum()
                            .quorumInfo()
                            .get(30, TimeUnit.SECONDS)
                            .leaderId());
                    assertThat(stack.stop(leader))
                            .as("%s stopped within its grace", leader)
                            .isEmpty();
                    return leader;
                },
                (sent, client) -> awaitEveryReplicaInSync());
    }

    /**
     * Drives the load; after {@link #FAULT_AT_TICK} ticks injects the fault, and while the faulted part is down waits
     * until every record sent before the fault is stored and {@link #DOWN_FOR} has passed; starts the part again,
     * waits until it is back and caught up; lets the load finish; then checks and records the whole ledger and the
     * stall.
     */
    private static void runUnderLoad(String name, Duration target, Fault fault, CatchUp catchUp) throws Exception {
        List<String> ingest =
                List.of("http://127.0.0.1:" + config.ingestPort(), "http://127.0.0.1:" + config.ingest2Port());
        try (FaultLoad load =
                new FaultLoad(FaultLoad.id("ha " + name), LOAD, ingest, config.kafkaBootstrap()).start()) {
            load.awaitTicks(FAULT_AT_TICK);
            FaultRun.UploadClient client = new FaultRun.UploadClient(load);
            Ledger.Expected before = load.expected().snapshot();
            Instant injected = Instant.now();
            String down = fault.inject();
            run.awaitComplete(before, "records sent before the fault, stored while " + down + " is down", client);
            await().atMost(DOWN_FOR.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Duration.between(injected, Instant.now()).compareTo(DOWN_FOR) >= 0);
            Instant restarted = Instant.now();
            Duration back = Duration.ZERO;
            Duration caughtUp = Duration.ZERO;
            if (down != null) {
                assertThat(stack.processes(down)).as("%s stayed down", down).isEmpty();
                stack.start(down);
                back = Duration.between(restarted, Instant.now());
                catchUp.await(load.expected().snapshot(), client);
                caughtUp = Duration.between(restarted, Instant.now());
            }
            Ledger.Tally tally = run.finish(load, client, LOAD.duration());
            Ledger.Expected all = load.expected();
            Duration stall = ledger.stall(all, injected, restarted);
            REPORT_ROWS.add(new FaultReport.HaRow(
                    name,
                    all.records(),
                    tally.predictionsOut(),
                    tally.rejectionsOut(),
                    tally.missing().size(),
                    tally.duplicated(),
                    stall,
                    target,
                    down == null ? Duration.ZERO : Duration.between(injected, restarted),
                    back,
                    caughtUp));
            System.out.printf(
                    "[ha] %s: %d records in, %d forecasts, %d refusals, stall %d ms (target %d ms)%n",
                    name,
                    all.records(),
                    tally.predictionsOut(),
                    tally.rejectionsOut(),
                    stall.toMillis(),
                    target.toMillis());
            FaultRun.assertAccountedForOnce(load, tally);
        }
    }

    private static String kill(String component) {
        assertThat(stack.kill(component)).as("%s was running", component).isNotEmpty();
        return component;
    }

    /** @return the component of a broker: {@code kafka} for node 1, {@code kafka-<n>} for the others */
    private static String broker(int nodeId) {
        return StackConfig.nodeComponent("kafka", nodeId);
    }

    private static int leaderOf(String topic) throws Exception {
        TopicPartitionInfo first = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .get(0);
        return first.leader().id();
    }

    /** A broker has caught up when every partition of every topic has all its replicas in sync again. */
    private static void awaitEveryReplicaInSync() {
        await().atMost(FaultRun.RECOVERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    var names = admin.listTopics(new ListTopicsOptions().listInternal(true))
                            .names()
                            .get(10, TimeUnit.SECONDS);
                    return admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                            .flatMap(t -> t.partitions().stream())
                            .allMatch(p -> p.isr().size() == p.replicas().size());
                });
    }

    /** A Cassandra node has caught up when the others have delivered every hint they kept for it (no hint file left). */
    private static void awaitEveryHintDelivered() {
        await().atMost(FaultRun.RECOVERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    try (Stream<Path> files = Files.walk(config.dataDir())) {
                        return files.noneMatch(f -> f.toString().endsWith(".hints"));
                    }
                });
    }

    /** A service instance has caught up when it is healthy and everything sent until its restart is stored. */
    private static void stored(Ledger.Expected sentUntilRestart, FaultRun.UploadClient client) {
        run.awaitComplete(sentUntilRestart, "records sent until the restart", client);
    }
}
