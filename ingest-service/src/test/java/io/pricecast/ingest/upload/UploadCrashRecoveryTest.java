package io.pricecast.ingest.upload;

import static io.pricecast.ingest.IngestTestKit.environment;
import static io.pricecast.ingest.IngestTestKit.forEachCommitted;
import static io.pricecast.ingest.IngestTestKit.get;
import static io.pricecast.ingest.IngestTestKit.json;
import static io.pricecast.ingest.IngestTestKit.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricecast.avro.PriceRecord;
import io.pricecast.ingest.GeneratedPrices;
import io.pricecast.ingest.IngestService;
import io.pricecast.ingest.IngestTestKit.TestTopics;
import io.pricecast.testing.ChildJvm;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once promise of uploads, end to end: the ingest process is killed with SIGKILL (or frozen with
 * SIGSTOP, a zombie) in the middle of publishing a large upload, another instance gets the same file from the
 * client, takes the upload over (claims it and fences the first instance's producer) and finishes it; every row
 * then is on the clean topic exactly once, also after the frozen instance wakes up.
 */
@ExtendWith(RealStack.class)
class UploadCrashRecoveryTest {

    /** 100,000 rows: 10 transactions of 10,000, two of them committed before the kill. */
    private static final int SYMBOLS = 100;

    private static final int DAYS = 1000;
    private static final long KILL_AFTER_COMMITTED = 20_000;
    private static final Duration STARTS_WITHIN = Duration.ofSeconds(90);
    private static final Duration PUBLISHES_WITHIN = Duration.ofMinutes(4);
    private static final String SERVICE_HEAP = "-Xmx384m";

    @Test
    void publishesEveryRowExactlyOnceWhenTheServiceIsKilledMidUploadAndTheClientRetries(
            StackEndpoints stack, @TempDir Path dir) throws Exception {
        TestTopics topics = TestTopics.create(stack, "crash", 3);
        String keyspace = stack.createKeyspace("ingest_crash");
        Path file = dir.resolve("large.csv");
        long rows = GeneratedPrices.write(file, SYMBOLS, DAYS);

        String id = startAndKillMidUpload(stack, keyspace, dir.resolve("first"), topics, file);
        long afterCrash = countClean(stack, topics, new BitSet());
        assertThat(afterCrash).as("committed before the kill").isBetween(KILL_AFTER_COMMITTED, rows - 1);

        int secondPort = freePort();
        Process second = startService(stack, keyspace, dir.resolve("second"), secondPort, topics, "second");
        try {
            String base = awaitHealthy(secondPort);
            JsonNode retry = json(post(base + "/uploads?dataset=crash", HttpRequest.BodyPublishers.ofFile(file)));
            assertThat(retry.get("upload_id").asText()).isEqualTo(id);
            JsonNode done = await().atMost(PUBLISHES_WITHIN)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> json(get(base + "/uploads/" + id)), UploadCrashRecoveryTest::isFinished);
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("published");
            assertThat(done.at("/ingest/published").asLong()).isEqualTo(rows);
            assertThat(done.get("attempts").asInt()).isEqualTo(2);
        } finally {
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        BitSet lines = new BitSet();
        long published = countClean(stack, topics, lines);
        assertThat(published).as("records on the clean topic").isEqualTo(rows);
        assertThat(lines.cardinality()).as("distinct file lines").isEqualTo((int) rows);
        assertThat(lines.nextSetBit(0)).isEqualTo(2);
    }

    @Test
    void resumesAnInterruptedUploadByItselfWhenRestartedOnTheSameStateDirectory(StackEndpoints stack, @TempDir Path dir)
            throws Exception {
        TestTopics topics = TestTopics.create(stack, "resume", 3);
        String keyspace = stack.createKeyspace("ingest_resume");
        Path file = dir.resolve("large.csv");
        long rows = GeneratedPrices.write(file, SYMBOLS, DAYS);
        Path state = dir.resolve("state");
        String id = startAndKillMidUpload(stack, keyspace, state, topics, file);

        int port = freePort();
        Process restarted = startService(stack, keyspace, state, port, topics, "first");
        try {
            String base = awaitHealthy(port);
            JsonNode done = await().atMost(PUBLISHES_WITHIN)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> json(get(base + "/uploads/" + id)),
                            s -> s.get("status").asText().equals("published")
                                    || s.get("status").asText().equals("failed"));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("published");
            assertThat(done.get("attempts").asInt()).isEqualTo(1);
        } finally {
            restarted.destroy();
            assertThat(restarted.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        BitSet lines = new BitSet();
        assertThat(countClean(stack, topics, lines)).isEqualTo(rows);
        assertThat(lines.cardinality()).isEqualTo((int) rows);
    }

    @Test
    void aFrozenInstanceWhoseUploadWasTakenOverCommitsNothingMoreWhenItWakesUp(StackEndpoints stack, @TempDir Path dir)
            throws Exception {
        TestTopics topics = TestTopics.create(stack, "zombie", 3);
        String keyspace = stack.createKeyspace("ingest_zombie");
        Path file = dir.resolve("large.csv");
        long rows = GeneratedPrices.write(file, SYMBOLS, DAYS);

        int firstPort = freePort();
        Process first = startService(stack, keyspace, dir.resolve("first"), firstPort, topics, "first");
        Process second = null;
        try {
            String firstBase = awaitHealthy(firstPort);
            String id = json(post(firstBase + "/uploads?dataset=crash", HttpRequest.BodyPublishers.ofFile(file)))
                    .get("upload_id")
                    .asText();
            await().atMost(PUBLISHES_WITHIN)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> json(get(firstBase + "/uploads/" + id))
                                    .at("/progress/records_published")
                                    .asLong()
                            >= KILL_AFTER_COMMITTED);
            signal("STOP", first);

            int secondPort = freePort();
            second = startService(stack, keyspace, dir.resolve("second"), secondPort, topics, "second");
            String secondBase = awaitHealthy(secondPort);
            assertThat(json(post(secondBase + "/uploads?dataset=crash", HttpRequest.BodyPublishers.ofFile(file)))
                            .get("upload_id")
                            .asText())
                    .isEqualTo(id);
            JsonNode done = await().atMost(PUBLISHES_WITHIN)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> json(get(secondBase + "/uploads/" + id)),
                            s -> s.get("status").asText().equals("published")
                                    || s.get("status").asText().equals("failed"));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("published");
            assertThat(done.at("/ingest/published").asLong()).isEqualTo(rows);

            // the frozen instance wakes up in the middle of its transaction: it was fenced, so it commits nothing
            signal("CONT", first);
            String log = dir.resolve("first").resolve("ingest.log").toString();
            await().atMost(PUBLISHES_WITHIN)
                    .until(() -> Files.readString(Path.of(log)).contains("took it over"));
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            if (second != null) {
                second.destroy();
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
        BitSet lines = new BitSet();
        assertThat(countClean(stack, topics, lines))
                .as("records on the clean topic")
                .isEqualTo(rows);
        assertThat(lines.cardinality()).isEqualTo((int) rows);
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Starts a service, uploads the file, kills the service with SIGKILL once part of it is committed. */
    private static String startAndKillMidUpload(
            StackEndpoints stack, String keyspace, Path state, TestTopics topics, Path file) throws Exception {
        int port = freePort();
        Process process = startService(stack, keyspace, state, port, topics, "first");
        try {
            String base = awaitHealthy(port);
            String id = json(post(base + "/uploads?dataset=crash", HttpRequest.BodyPublishers.ofFile(file)))
                    .get("upload_id")
                    .asText();
            JsonNode midway = await().atMost(PUBLISHES_WITHIN)
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () -> json(get(base + "/uploads/" + id)),
                            s -> isFinished(s)
                                    || s.at("/progress/records_published").asLong() >= KILL_AFTER_COMMITTED);
            assertThat(midway.get("status").asText())
                    .as("still publishing when killed: %s", midway)
                    .isEqualTo("publishing");
            return id;
        } finally {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** An upload is "received" until its publisher starts, then "publishing" until it ends. */
    private static boolean isFinished(JsonNode status) {
        String state = status.get("status").asText();
        return !state.equals("received") && !state.equals("publishing");
    }

    private static long countClean(StackEndpoints stack, TestTopics topics, BitSet lines) {
        AtomicLong duplicates = new AtomicLong();
        long count = forEachCommitted(
                stack,
                topics.clean(),
                stack.serdes().serde(PriceRecord.class, false).deserializer(),
                record -> {
                    int line = Math.toIntExact(record.value().getFileLine());
                    if (lines.get(line)) {
                        duplicates.incrementAndGet();
                    }
                    lines.set(line);
                });
        assertThat(duplicates.get()).as("file lines published twice").isZero();
        return count;
    }

    private static Process startService(
            StackEndpoints stack, String keyspace, Path stateDir, int port, TestTopics topics, String instance)
            throws IOException {
        Files.createDirectories(stateDir);
        ProcessBuilder builder = new ProcessBuilder(
                ChildJvm.command(SERVICE_HEAP, "-cp", ChildJvm.moduleClasspath(), IngestService.class.getName()));
        Map<String, String> env = environment(stack, keyspace, stateDir, port, topics);
        env.put("PRICECAST_INGEST_CONSOLE", "false");
        env.put("PRICECAST_INSTANCE_ID", instance);
        env.put("PRICECAST_INGEST_RECORDS_PER_TRANSACTION", "10000");
        env.put("PRICECAST_INGEST_MAX_TRANSACTION_SECONDS", "2");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(stateDir.resolve("ingest.log").toFile());
        return builder.start();
    }

    private static String awaitHealthy(int port) {
        String base = "http://127.0.0.1:" + port;
        Readiness.await200(base + "/health", STARTS_WITHIN);
        return base;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
