package io.pricecast.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import io.pricecast.stack.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on the real local stack (Kafka, the registry, Cassandra and the services as separate processes, started
 * once for the class), each under a steady load of uploads and console records; then the ledger: every input
 * record is exactly once in Cassandra as a forecast or a refusal, none missing, none duplicated.
 *
 * <p>The table of figures is printed and written to {@code target/fault-report.md} (docs/reliability.md).
 * Tagged {@code faults}: {@code -DexcludedGroups=faults} leaves the suite out of a quick run.
 */
@Tag("faults")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    private static final Path REPORT = Path.of("target", "fault-report.md");
    /** 24 ticks of 0.5 s: 4 console records a tick, a bad one every 5th, an upload of 52 lines every 3rd. */
    private static final FaultLoad.Shape STEADY = new FaultLoad.Shape(24, Duration.ofMillis(500), 3, 10, 5);
    /** The same rate for 40 s, so that the load runs through the whole Cassandra outage. */
    private static final FaultLoad.Shape LONG = new FaultLoad.Shape(80, Duration.ofMillis(500), 3, 10, 5);

    private static final int FAULT_AT_TICK = 8;
    private static final Duration CASSANDRA_OUTAGE = Duration.ofSeconds(30);
    private static final Duration POLL = FaultRun.POLL;
    private static final FaultReport REPORT_ROWS = new FaultReport();
    private static final PortAllocator PORTS = new PortAllocator();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static FaultStack system;
    private static LocalStack stack;
    private static StackConfig config;
    private static FaultRun run;

    /** Whether a fault ends with the faulted component restarted (its "down for" figure) or leaves it down. */
    private enum Restart {
        NOTHING,
        THE_FAULTED_COMPONENT
    }

    /** What a fault does; returns once the faulted component is back (or at once when nothing is restarted). */
    @FunctionalInterface
    private interface Fault {
        void inject() throws Exception;
    }

    @BeforeAll
    static void startTheWholeSystemOnce() throws IOException {
        system = new FaultStack("faults", Map.of(), PORTS);
        stack = system.stack();
        config = system.config();
        system.up();
        run = system.run();
    }

    @AfterAll
    static void publishTheTableAndStopEverything() throws IOException {
        if (system != null) {
            system.finish(REPORT_ROWS, REPORT, Path.of("target", "fault-logs"));
        }
    }

    @Test
    @Order(1)
    void withoutAFaultEveryRecordIsAccountedForOnce() throws Exception {
        runUnderLoad("none (baseline)", STEADY, Restart.NOTHING, () -> {});
    }

    @Test
    @Order(2)
    void ingestKilledMidLoadAndRestarted() throws Exception {
        runUnderLoad("kill -9 ingest, restart", STEADY, Restart.THE_FAULTED_COMPONENT, () -> killAndRestart("ingest"));
    }

    @Test
    @Order(3)
    void scoringKilledMidLoadAndRestarted() throws Exception {
        runUnderLoad(
                "kill -9 scoring, restart", STEADY, Restart.THE_FAULTED_COMPONENT, () -> killAndRestart("scoring"));
    }

    @Test
    @Order(4)
    void sinkKilledMidLoadAndRestarted() throws Exception {
        runUnderLoad("kill -9 sink, restart", STEADY, Restart.THE_FAULTED_COMPONENT, () -> killAndRestart("sink"));
    }

    @Test
    @Order(5)
    void kafkaBrokerKilledMidLoadAndRestarted() throws Exception {
        runUnderLoad(
                "kill -9 Kafka broker, restart", STEADY, Restart.THE_FAULTED_COMPONENT, () -> killAndRestart("kafka"));
    }

    @Test
    @Order(6)
    void schemaRegistryKilledMidLoadAndRestarted() throws Exception {
        runUnderLoad("kill -9 schema registry, restart", STEADY, Restart.THE_FAULTED_COMPONENT, () -> {
            assertThat(stack.kill("registry")).as("the registry was running").isNotEmpty();
            startAllowingOneFailedStart("registry");
        });
    }

    @Test
    @Order(7)
    void cassandraDownForThirtySecondsMidLoad() throws Exception {
        runUnderLoad("Cassandra kill -9, down 30 s, restart", LONG, Restart.THE_FAULTED_COMPONENT, () -> {
            Instant killed = Instant.now();
            stack.kill("cassandra");
            String sink = "http://127.0.0.1:" + config.sinkPort();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(POLL)
                    .until(() -> FaultRun.status(sink + "/health/ready") == 503);
            assertThat(FaultRun.get(sink + "/health/ready"))
                    .as("the sink names what is down")
                    .containsIgnoringCase("cassandra");
            assertThat(FaultRun.status(sink + "/health"))
                    .as("/health answers as /health/ready")
                    .isEqualTo(503);
            Duration left = CASSANDRA_OUTAGE.minus(Duration.between(killed, Instant.now()));
            // the sink is not ready for the whole outage, while records keep arriving in Kafka; it stays live, so a
            // liveness probe leaves it alone to ride the outage out
            await().during(left)
                    .atMost(left.plusSeconds(10))
                    .pollInterval(POLL)
                    .until(() -> FaultRun.status(sink + "/health/ready") == 503
                            && FaultRun.status(sink + "/health/live") == 200);
            stack.start("cassandra");
            // it rode the outage out by retrying its writes, not by dropping them (the ledger shows none lost)
            assertThat(PrometheusText.parse(FaultRun.get(sink + "/metrics")).sum("pricecast_sink_write_retries_total"))
                    .isPositive();
        });
    }

    @Test
    @Order(8)
    void secondScoringInstanceTakesOverTheKilledOnesPartitions() throws Exception {
        stack.addServiceInstance("scoring", "scoring-2", PORTS.next(), Map.of());
        stack.start("scoring-2");
        runUnderLoad(
                "2 scoring instances, one kill -9 (not restarted)",
                STEADY,
                Restart.NOTHING,
                () -> stack.kill("scoring"));
    }

    @Test
    @Order(9)
    void scoringInstanceWithAnUnwritableStateDirFailsClearlyAndCorruptsNothing() throws Exception {
        // a regular file where the state directory's parent should be: no directory can be made there, even as root
        Path blocker = system.home().resolve("state").resolve("blocked");
        Path stateDir = blocker.resolve("scoring-3");
        stack.addServiceInstance(
                "scoring", "scoring-3", PORTS.next(), Map.of("PRICECAST_STATE_DIR", stateDir.toString()));
        runUnderLoad(
                "scoring started on an unwritable state dir, then fixed", STEADY, Restart.THE_FAULTED_COMPONENT, () -> {
                    Files.writeString(blocker, "not a directory\n");
                    assertThatThrownBy(() -> stack.start("scoring-3"))
                            .isInstanceOf(StackException.class)
                            .hasMessageContaining("scoring-3 exited during start-up")
                            .hasMessageContaining(stateDir.toString());
                    assertThat(stack.processes("scoring-3")).isEmpty();
                    Files.delete(blocker);
                    stack.start("scoring-3");
                });
    }

    /**
     * Starts a component, and once more if the first start fails, as an operator would; the failed start is
     * written under the table, never hidden. (Seen once on the loaded machine: the registry's H2 storage timed
     * out its first connection at start-up, "Acquisition timeout while waiting for new connection".)
     */
    private static void startAllowingOneFailedStart(String component) {
        try {
            stack.start(component);
        } catch (StackException e) {
            String first = e.getMessage().strip().lines().findFirst().orElse("");
            REPORT_ROWS.note(component + ": the first start after the fault failed (" + first + "); started again");
            stack.start(component);
        }
    }

    private static void killAndRestart(String component) {
        assertThat(stack.kill(component)).as("%s was running", component).isNotEmpty();
        stack.start(component);
    }

    /**
     * Drives the load, injects the fault after {@link #FAULT_AT_TICK} ticks, waits until everything sent before
     * it is in Cassandra (the recovery time), lets the load finish, resends failed uploads like a client, then
     * checks and records the whole ledger.
     */
    private static void runUnderLoad(String name, FaultLoad.Shape shape, Restart restart, Fault fault)
            throws Exception {
        String ingestUrl = "http://127.0.0.1:" + config.ingestPort();
        try (FaultLoad load = new FaultLoad(FaultLoad.id(name), shape, ingestUrl, config.kafkaBootstrap()).start()) {
            load.awaitTicks(FAULT_AT_TICK);
            FaultRun.UploadClient client = new FaultRun.UploadClient(load);
            Ledger.Expected before = load.expected().snapshot();
            Instant injected = Instant.now();
            fault.inject();
            Instant back = Instant.now();
            run.awaitComplete(before, "records sent before the fault", client);
            Duration recovery = Duration.between(injected, Instant.now());
            Ledger.Tally tally = run.finish(load, client, shape.duration());
            Ledger.Expected all = load.expected();

            Duration downtime = restart == Restart.NOTHING ? Duration.ZERO : Duration.between(injected, back);
            REPORT_ROWS.add(new FaultReport.Row(
                    name,
                    all.records(),
                    all.predictions(),
                    tally.predictionsOut(),
                    tally.rejectionsOut(),
                    tally.missing().size(),
                    tally.duplicated(),
                    tally.unexpected().size(),
                    downtime,
                    recovery,
                    load.uploadRetries(),
                    load.uploadResends()));
            System.out.printf(
                    "[faults] %s: %d records in, %d forecasts, %d refusals, recovery %d ms%n",
                    name, all.records(), tally.predictionsOut(), tally.rejectionsOut(), recovery.toMillis());
            FaultRun.assertAccountedForOnce(load, tally);
        }
    }
}
